"""Integration credentials: OAuth2 client credentials with scopes and expiry for other systems."""
