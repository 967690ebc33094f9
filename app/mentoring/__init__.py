"""Mentoring programmes: applications, mentor selection, pair matching, pairs and consent."""
