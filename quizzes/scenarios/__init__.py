"""'What happened next' scenarios: saving the generated paths, teacher actions, reads."""
