"""`gengrade serve`: the course's grading service.

Students upload a stub file (`gengrade submit`) and get the hidden checks' feedback as the
course's policy allows, streamed as it happens, with a signed receipt. Instructors import a
roster, set deadlines, extensions and feedback policies, watch a live dashboard and export the
gradebook. Jobs wait in a queue in the database (SQLite by default, PostgreSQL for real
deployments, where workers on other machines pull from it) and are graded in the warm,
isolated lanes of class grading.

Modules: `tables` (the schema), `store` (engines, migrations, sessions), `tokens`, `policy`
(deadlines, buckets, what feedback shows), `jobs` (the queue), `receipts`, `worker`, `app`
(HTTP), `client` (`gengrade submit`, `gengrade receipt verify`).
"""
