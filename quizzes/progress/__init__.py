"""What learners do: attempts, scenario runs, review cards, mastery (services write, selectors read)."""
