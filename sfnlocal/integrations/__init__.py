"""What serves a Task: Python mocks, the Step Functions Local MockConfigFile, AWS services in moto."""
