"""Village registry: official Kemendagri codes, names, hierarchy and code history."""
