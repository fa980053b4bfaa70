"""``sfnlocal serve``: the Step Functions API over HTTP (AWS JSON 1.0), for boto3, the AWS CLI and other SDKs.

Layout: :mod:`.api` (the operation registry and AWS's errors: the contract between the transport and the
operations), :mod:`.http` (the loopback HTTP server, the JSON 1.0 protocol, request validation against
botocore's service model), :mod:`.engine` (state machines, executions, task tokens, activities: what the
operations act on, behind one lock), :mod:`.operations` (one module per group of API operations),
:mod:`.store` (persistence behind a small interface; SQLite).
"""
