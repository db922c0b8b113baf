"""The demo world `make run` builds (seed_demo): a class with work already done. An edge, like the
management commands: it drives the domain services of every layer, and no domain package imports it."""
