"""Classes, enrolments and assignments."""
