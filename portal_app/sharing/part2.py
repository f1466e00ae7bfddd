"""The 42 CFR Part 2 redisclosure notice (42 CFR 2.32), shown wherever a Part 2 record reaches a partner."""

PART2_NOTICE = (
    "This record which has been disclosed to you is protected by Federal confidentiality rules "
    "(42 CFR part 2). The Federal rules prohibit you from making any further disclosure of this record "
    "unless further disclosure is expressly permitted by the written consent of the individual whose "
    "information is being disclosed in this record or, is otherwise permitted by 42 CFR part 2. "
    "A general authorization for the release of medical or other information is NOT sufficient for this "
    "purpose (see § 2.31). The Federal rules restrict any use of the information to investigate or "
    "prosecute with regard to a crime any patient with a substance use disorder, except as provided at "
    "§§ 2.12(c)(5) and 2.65."
)
