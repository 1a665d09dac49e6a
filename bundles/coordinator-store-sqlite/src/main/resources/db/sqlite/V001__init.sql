-- The coordinator's registry. Portable SQL (SQLite and PostgreSQL); instants are ISO-8601 UTC text.

-- The mesh's own settings: one row, written once.
CREATE TABLE mesh (
    id INTEGER NOT NULL PRIMARY KEY,
    ipv4_cidr TEXT NOT NULL,
    ipv6_prefix TEXT NOT NULL,
    psk BLOB NOT NULL,
    CHECK (id = 1)
);

-- Join tokens: only the SHA-256 of the secret is kept.
CREATE TABLE tokens (
    id TEXT NOT NULL PRIMARY KEY,
    secret_hash BLOB NOT NULL,
    name TEXT NOT NULL,
    reusable INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    revoked_at TEXT,
    uses INTEGER NOT NULL
);

-- Admitted nodes. host = the host number inside the mesh CIDR, shared by the IPv4 and IPv6 address.
CREATE TABLE nodes (
    public_key TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    host INTEGER NOT NULL UNIQUE,
    ipv4 TEXT NOT NULL UNIQUE,
    ipv6 TEXT NOT NULL UNIQUE,
    ssh_public_key BLOB NOT NULL,
    ssh_fingerprint TEXT NOT NULL,
    binding BLOB NOT NULL,
    endpoints TEXT NOT NULL,
    token_id TEXT REFERENCES tokens (id),
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
);

-- The ban on a removed node: this key may not come back with this token.
CREATE TABLE removed (
    token_id TEXT NOT NULL REFERENCES tokens (id),
    public_key TEXT NOT NULL,
    PRIMARY KEY (token_id, public_key)
);
