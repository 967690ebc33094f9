"""The learning library: lessons, quizzes, collections and each person's own progress."""
