#!/usr/bin/env bash
# `signpost check --deploy` under production settings, with throwaway secrets given as *_FILE.
set -euo pipefail
cd "$(dirname "$0")/.."
secrets=$(mktemp -d)
trap 'rm -rf "$secrets"' EXIT
.venv/bin/python - "$secrets" <<'PY'
import base64, secrets, sys, pathlib
d = pathlib.Path(sys.argv[1])
(d / "secret_key").write_text(secrets.token_urlsafe(50))
(d / "field_keys").write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
(d / "blind_key").write_text(secrets.token_hex(32))
PY
SIGNPOST_ENV=production \
DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/signpost} \
ALLOWED_HOSTS=signpost.example.org \
SITE_URL=https://signpost.example.org \
SECRET_KEY_FILE=$secrets/secret_key \
FIELD_ENCRYPTION_KEYS_FILE=$secrets/field_keys \
BLIND_INDEX_KEY_FILE=$secrets/blind_key \
EMAIL_URL=smtp://mail.example.org:587 \
SIGNPOST_VAR_DIR=$secrets/var \
  .venv/bin/signpost check --deploy --fail-level WARNING
