"""Live chat with the counsellors (placeholder in this branch: the chat feature replaces it)."""
