"""The staff web console: the interviewer's and reviewer's desk in the browser, served by
the web chat's process under /staff, on the same use cases, scoping and audit as the staff
chat and the command line."""
