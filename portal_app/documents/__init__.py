"""Documents: form templates, filled documents, signatures, sealed PDFs."""
