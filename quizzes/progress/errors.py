"""The one error type learner actions raise; `code` is stable (the API returns it), `message` is for people."""


class LearnerActionError(Exception):
    def __init__(self, code: str, message: str, *, status: int = 409):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
