"""A person's own settings (language, time zone) and how each request applies them."""
