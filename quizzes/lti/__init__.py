"""LTI 1.3 Advantage tool: platforms launch KZLearn, place its quizzes, get scores and share rosters."""
