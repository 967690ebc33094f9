"""In-app notices for participants (e.g. "you are in team Amber Otters"), keyed by pseudonym."""
