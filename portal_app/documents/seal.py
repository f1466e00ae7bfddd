"""The deployment's seal on produced PDFs: a PAdES signature (pyHanko) with its key and certificate, and its check.

Production names the PEM files (SEAL_KEY_FILE, SEAL_CERT_FILE; SEAL_KEY_PASSWORD when the key is
encrypted) and refuses to start without them. Development and test generate a self-signed pair into
`<instance>/seal/` on first use (`flask seal-cert` does it ahead of time), so `make run` needs no step.
"""
from __future__ import annotations

import asyncio
import io
import os
import re
import secrets
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import current_app

SEAL_FIELD = "CaseportSeal"
GENERATED_DIR = "seal"
KEY_NAME, CERT_NAME = "seal-key.pem", "seal-cert.pem"
SIGNATURE_BYTES = 8192  # room for the CMS container (a chain of a few RSA-4096 certificates): no trial signature
CODE_IN_REASON = re.compile(r"verification code ([0-9A-Z]{5}-[0-9A-Z]{5})")
# A seal stating a time later than this ahead of our clock is not believed (clocks of several hosts differ).
CLOCK_SKEW = timedelta(minutes=10)


class SealCredentialsError(RuntimeError):
    """The seal's key or certificate is missing, unreadable, or they do not belong together."""


@dataclass(frozen=True)
class SealReport:
    """What a PDF's seal says; `valid` only when every part holds."""

    readable: bool = False  # a PDF we could parse at all
    sealed: bool = False  # it carries a signature
    intact: bool = False  # the signed bytes are unchanged
    trusted: bool = False  # signed with this deployment's certificate (current, or a previous one kept)
    previous_certificate: bool = False  # trusted through a certificate in SEAL_PREVIOUS_CERT_FILES
    whole_file: bool = False  # the signature covers the whole file (nothing added after it)
    signed_at: datetime | None = None  # the time the seal states
    # The certificate is checked as of the time the seal states (inside its signed bytes; the seal carries no
    # RFC 3161 timestamp), so a seal made while a since-expired certificate was valid still verifies, and one
    # made after its certificate expired does not. None: the seal states no time, checked as of now.
    checked_at: datetime | None = None
    certificate_expired: bool = False  # the seal's certificate has expired since it sealed (it was valid then)
    sealed_by: str = ""  # the name the seal states (the agency)
    reason: str = ""
    title: str = ""

    @property
    def valid(self) -> bool:
        return self.sealed and self.intact and self.trusted and self.whole_file

    @property
    def verification_code(self) -> str | None:
        """The code the seal states (it is inside the signed part of the file)."""
        match = CODE_IN_REASON.search(self.reason)
        return match.group(1) if match else None


def load_credentials(key_file: str | os.PathLike, cert_file: str | os.PathLike, password: str | None = None):
    """The private key and certificate, checked to belong together; SealCredentialsError says what is wrong."""
    try:
        key = serialization.load_pem_private_key(Path(key_file).read_bytes(),
                                                 password.encode() if password else None)
        cert = x509.load_pem_x509_certificate(Path(cert_file).read_bytes())
    except FileNotFoundError as err:
        raise SealCredentialsError(f"the seal file {err.filename} does not exist") from err
    except (OSError, ValueError, TypeError) as err:
        raise SealCredentialsError(f"the seal key or certificate cannot be read: {err}") from err
    if cert.public_key().public_numbers() != key.public_key().public_numbers():
        raise SealCredentialsError("SEAL_KEY_FILE is not the key of the certificate in SEAL_CERT_FILE")
    return key, cert


def generate_self_signed(directory: str | os.PathLike, common_name: str = "Caseport development seal",
                         years: int = 10) -> tuple[Path, Path]:
    """A new ECDSA P-256 key and self-signed certificate in `directory` (refused if it exists).

    Written into a private temporary folder renamed into place, so processes starting together
    (`make run`) all end up with the same pair.
    """
    target = Path(directory)
    if target.exists():
        raise FileExistsError(f"{target} exists: keep it, or move it away to make a new seal")
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Caseport")])
    now = datetime.now(UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=365 * years))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(usage, critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
    tmp.mkdir(mode=0o700)
    try:
        fd = os.open(tmp / KEY_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
        (tmp / CERT_NAME).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        os.rename(tmp, target)
    except OSError:
        if not (target / CERT_NAME).exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when the rename succeeded
    return target / KEY_NAME, target / CERT_NAME


def seal_paths(app=None) -> tuple[Path, Path]:
    """The key and certificate files: configured, or (development, test) generated on first use."""
    app = app or current_app
    key_file, cert_file = app.config.get("SEAL_KEY_FILE"), app.config.get("SEAL_CERT_FILE")
    if key_file and cert_file:
        return Path(key_file), Path(cert_file)
    if not app.config.get("SEAL_GENERATE"):
        raise SealCredentialsError("SEAL_KEY_FILE and SEAL_CERT_FILE must be set to seal PDFs")
    directory = Path(app.instance_path) / GENERATED_DIR
    if not (directory / CERT_NAME).exists():
        try:
            generate_self_signed(directory)
        except FileExistsError:
            pass  # another process made it first
    return directory / KEY_NAME, directory / CERT_NAME


def _password(app) -> bytes | None:
    password = app.config.get("SEAL_KEY_PASSWORD")
    return password.encode() if password else None


def _loaded(app):
    """(pyHanko signer, asn1crypto certificate), loaded once per process and per pair of files."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.sign import signers

    key_file, cert_file = seal_paths(app)
    try:
        stamp = (str(key_file), str(cert_file), key_file.stat().st_mtime_ns, cert_file.stat().st_mtime_ns)
    except FileNotFoundError as err:
        raise SealCredentialsError(f"the seal file {err.filename} does not exist") from err
    cache = app.extensions.setdefault("caseport_seal", {})
    if cache.get("stamp") != stamp:
        load_credentials(key_file, cert_file, app.config.get("SEAL_KEY_PASSWORD"))
        cache.update(stamp=stamp, cert=load_cert_from_pemder(str(cert_file)),
                     signer=signers.SimpleSigner.load(str(key_file), str(cert_file), key_passphrase=_password(app)))
    return cache["signer"], cache["cert"]


def previous_cert_paths(app) -> list[Path]:
    """The certificates this deployment sealed with before a rotation (SEAL_PREVIOUS_CERT_FILES: a list, or
    paths separated by commas): PDFs sealed under them still verify."""
    raw = app.config.get("SEAL_PREVIOUS_CERT_FILES") or []
    if isinstance(raw, str):
        raw = raw.split(",")
    return [Path(str(p).strip()) for p in raw if str(p).strip()]


def _previous_certs(app) -> list:
    """The previous seal certificates (asn1crypto), loaded once per process and per list of files."""
    from pyhanko.keys import load_cert_from_pemder

    paths = previous_cert_paths(app)
    try:
        stamp = tuple((str(p), p.stat().st_mtime_ns) for p in paths)
    except FileNotFoundError as err:
        raise SealCredentialsError(f"the previous seal certificate {err.filename} does not exist") from err
    cache = app.extensions.setdefault("caseport_seal", {})
    if cache.get("previous_stamp") != stamp:
        try:
            certs = [load_cert_from_pemder(str(p)) for p in paths]
        except Exception as err:  # whatever an unreadable PEM makes the loader raise
            raise SealCredentialsError(f"a file in SEAL_PREVIOUS_CERT_FILES is not a certificate: {err}") from err
        cache.update(previous_stamp=stamp, previous=certs)
    return cache["previous"]


def _outside_event_loop(fn, *args, **kwargs):
    """Call one of pyHanko's synchronous functions (each runs asyncio.run() inside) from any caller: in a
    thread of its own when this thread already runs an event loop (an async server, Playwright in tests)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn, *args, **kwargs).result()


def seal_pdf(pdf: bytes, *, sealed_by: str, verification_code: str, location: str = "Caseport") -> bytes:
    """The PDF with the deployment's PAdES seal added (an incremental update that keeps PDF/A content)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer, _cert = _loaded(current_app)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        name=sealed_by[:200], location=location[:200],
        reason=f"Sealed by Caseport; verification code {verification_code}",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=signer, bytes_reserved=SIGNATURE_BYTES)
    return out.getvalue()


def _text(value) -> str:
    return str(value)[:500] if value is not None else ""


def _validation_context(roots: list, moment: datetime):
    """Trust in our own certificates as of `moment`, each only within its validity period (by default
    pyhanko-certvalidator trusts a trust anchor whatever its dates)."""
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.authority import CertTrustAnchor

    anchors = [CertTrustAnchor(c, derive_default_quals_from_cert=True) for c in roots]
    return ValidationContext(trust_roots=anchors, moment=moment)


def verify_seal(data: bytes) -> SealReport:
    """Check a PDF's seal against this deployment's certificates (no network fetches), as of the time the seal
    states: a certificate valid then counts, even if it has expired since. Never raises on bad input."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    _signer, cert = _loaded(current_app)
    previous = _previous_certs(current_app)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        try:
            info = reader.trailer["/Info"]
        except KeyError:
            info = None
        title = _text(info.get("/Title")) if info is not None else ""
        signatures = [s for s in reader.embedded_signatures if s.field_name == SEAL_FIELD]
    except Exception:  # noqa: BLE001  (whatever a damaged or hostile file makes the parser raise)
        return SealReport()
    if not signatures:
        return SealReport(readable=True, title=title)
    embedded = signatures[-1]
    stated = {"sealed_by": _text(embedded.sig_object.get("/Name")),
              "reason": _text(embedded.sig_object.get("/Reason")), "title": title}
    now = datetime.now(UTC)  # pyHanko's own clock, as it stated the time when sealing
    try:
        claimed = embedded.self_reported_timestamp  # signed: /M of the seal, or the CMS signing time
        moment = claimed or now
        status = _outside_event_loop(validate_pdf_signature, embedded,
                                     _validation_context([cert, *previous], moment))
        not_after = embedded.signer_cert.not_valid_after
    except Exception:  # noqa: BLE001  (a mangled signature container is a broken seal, not a crash)
        return SealReport(readable=True, sealed=True, **stated)
    trusted = bool(status.trusted) and moment <= now + CLOCK_SKEW  # a time ahead of ours is not believed
    return SealReport(
        readable=True, sealed=True, intact=bool(status.intact and status.valid), trusted=trusted,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        previous_certificate=trusted and embedded.signer_cert.sha256 != cert.sha256,
        signed_at=status.signer_reported_dt, checked_at=claimed,
        certificate_expired=trusted and not_after < now, **stated,
    )


@click.command("seal-cert")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Folder for seal-key.pem and seal-cert.pem (default: <instance>/seal).")
@click.option("--name", "common_name", default="Caseport development seal", show_default=True)
def seal_cert_command(out_dir: str | None, common_name: str) -> None:
    """Make a self-signed seal key and certificate (development, or a trial; production names its own)."""
    directory = Path(out_dir) if out_dir else Path(current_app.instance_path) / GENERATED_DIR
    try:
        key_file, cert_file = generate_self_signed(directory, common_name)
    except FileExistsError as err:
        raise click.ClickException(str(err)) from err
    cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
    click.echo(f"Seal key:         {key_file}\nSeal certificate: {cert_file}\n"
               f"SHA-256 fingerprint: {cert.fingerprint(hashes.SHA256()).hex(':')}\n"
               "Production: set SEAL_KEY_FILE and SEAL_CERT_FILE to these files (or to your own).")
