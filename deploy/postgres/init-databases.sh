#!/bin/sh
# Two databases, each reachable by its own role only (docs/operations.md, "Two database
# roles"). Run by the postgres image on an empty data directory, with its env file's passwords.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
	-v app_password="$APP_DB_PASSWORD" -v vault_password="$VAULT_DB_PASSWORD" <<'SQL'
CREATE ROLE challenge_app LOGIN PASSWORD :'app_password';
CREATE ROLE challenge_vault LOGIN PASSWORD :'vault_password';
CREATE DATABASE challenge_app OWNER challenge_app;
CREATE DATABASE challenge_vault OWNER challenge_vault;
REVOKE CONNECT ON DATABASE challenge_app FROM PUBLIC;
REVOKE CONNECT ON DATABASE challenge_vault FROM PUBLIC;
GRANT CONNECT ON DATABASE challenge_app TO challenge_app;
GRANT CONNECT ON DATABASE challenge_vault TO challenge_vault;
SQL
