"""Message catalogs: one module per topic (plus `common`), each defining MESSAGES = {key: {en, zh}}."""
