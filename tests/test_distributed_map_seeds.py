"""The bundled AWS blog-post workflows that use a Distributed Map (examples/seeds/reconstructed/recon-dmap-*)
run to a terminal state with their data seeded in the in-process S3 and their Lambda tasks mocked.

Expected values follow from the definitions' logic and from examples/seeds/INDEX.md (which says what data
each post's workflow reads); the shapes of what S3 holds afterwards follow AWS's ResultWriter page (a
``manifest.json`` naming the result files by status).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
import support

from sfnlocal import AwsWorld, StateMachine, mocks


def seed(name: str) -> tuple[StateMachine, Any]:
    path, execution_input = support.seed(name)
    return StateMachine.from_file(path), execution_input


def bucket(world: AwsWorld, name: str, objects: dict[str, str]) -> Any:
    """Create ``name`` in the world's S3 holding ``objects`` (key: text); return the S3 client."""
    s3 = world.client("s3")
    s3.create_bucket(Bucket=name)
    for key, body in objects.items():
        s3.put_object(Bucket=name, Key=key, Body=body.encode())
    return s3


def read_json(s3: Any, bucket_name: str, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=bucket_name, Key=key)["Body"].read())


def result_files(s3: Any, details: dict[str, str]) -> dict[str, list[str]]:
    """The texts of the result files the manifest at ``ResultWriterDetails`` names, by status."""
    manifest = read_json(s3, details["Bucket"], details["Key"])
    assert manifest["DestinationBucket"] == details["Bucket"]
    return {
        status: [s3.get_object(Bucket=details["Bucket"], Key=entry["Key"])["Body"].read().decode() for entry in entries]
        for status, entries in manifest["ResultFiles"].items()
    }


# recon-dmap-satellite-days: a Lambda lists the days, a Distributed Map (STANDARD children, MaxConcurrency 365)
# runs one Lambda per day; ResultPath null gives the Map's input (the days) as the execution's output.

DAYS_2018 = [(date(2018, 1, 1) + timedelta(days=n)).strftime("%Y%m%d") for n in range(365)]


def test_satellite_days_extracts_every_day_of_the_year_once() -> None:
    sm, execution_input = seed("recon-dmap-satellite-days")
    extracted: list[Any] = []
    run = sm.execute(
        execution_input,
        mocks={
            "GenerateDates": mocks.returns(DAYS_2018),
            "ExtractTimeSeriesForDay": lambda event, context: extracted.append(event) or {"day": event},
        },
    )
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.output == DAYS_2018  # ResultPath null: the Map's input, the Lambda's Payload
    assert sorted(extracted) == DAYS_2018  # each child got its day as the Lambda's payload
    events = [event["type"] for event in run.history]
    # A Distributed Map's children run as child executions: the parent records the map run, not iterations
    assert events[events.index("MapStateStarted") :][:4] == [
        "MapStateStarted",
        "MapRunStarted",
        "MapRunSucceeded",
        "MapStateSucceeded",
    ]
    assert "MapIterationStarted" not in events


def test_satellite_days_fails_when_a_day_fails_with_no_tolerance() -> None:
    sm, execution_input = seed("recon-dmap-satellite-days")

    def extract(event: Any, context: Any) -> Any:
        if event == "20180229":  # never: 2018 is no leap year
            return None
        if event == "20180704":
            raise ValueError("no data for this day")
        return {"day": event}

    run = sm.execute(execution_input, mocks={"GenerateDates": mocks.returns(DAYS_2018), "Extract day": extract})
    # No ToleratedFailure*: one failed child fails the map run and the Map state with the child's error
    assert run.status == "FAILED"
    assert run.error == "ValueError"
    events = [event["type"] for event in run.history]
    assert "MapRunFailed" in events and events[-1] == "ExecutionFailed"


# recon-dmap-s3-listobjects-lambda: listObjectsV2 over s3://awsnewsblog-distributed-map/images, an ItemSelector
# built from $$.Map.Item, EXPRESS children calling a Lambda, ToleratedFailureCount 10, results exported to S3.

NEWS_BUCKET = "awsnewsblog-distributed-map"
IMAGES = {f"images/dog-{n:04d}.jpg": f"jpeg {n}" for n in range(30)}


def _news_bucket(world: AwsWorld) -> Any:
    # Objects outside the Prefix are not listed
    return bucket(world, NEWS_BUCKET, {**IMAGES, "readme.txt": "not an image", "thumbnails/dog-0000.jpg": "thumb"})


def test_listobjects_lambda_processes_every_image_and_exports_the_results(sfn_aws: AwsWorld) -> None:
    sm, execution_input = seed("recon-dmap-s3-listobjects-lambda")
    s3 = _news_bucket(sfn_aws)
    seen: list[Any] = []
    run = sm.execute(
        execution_input,
        aws=sfn_aws,
        mocks={"Lambda Invoke": lambda event, context: seen.append(event) or {"labels": ["dog"], "key": event["key"]}},
    )
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    # listObjectsV2 lists keys in UTF-8 binary order; $$.Map.Item.Index numbers them in that order
    assert sorted(seen, key=lambda event: event["index"]) == [
        {"bucket": NEWS_BUCKET, "key": key, "index": index} for index, key in enumerate(sorted(IMAGES))
    ]
    # With a ResultWriter the Map's result is the map run's ARN and where its manifest is
    details = run.output["ResultWriterDetails"]
    run_id = run.output["MapRunArn"].rsplit(":", 1)[1]
    assert run.output["MapRunArn"].startswith(
        "arn:aws:states:us-east-1:123456789012:mapRun:" + run.state_machine_arn.rsplit(":", 1)[1] + "/ProcessImages:"
    )
    assert details == {"Bucket": NEWS_BUCKET, "Key": f"results/{run_id}/manifest.json"}
    files = result_files(s3, details)
    assert files["FAILED"] == [] and files["PENDING"] == []
    children = [child for text in files["SUCCEEDED"] for child in json.loads(text)]
    assert sorted(json.loads(child["Output"])["key"] for child in children) == sorted(IMAGES)
    assert {child["Status"] for child in children} == {"SUCCEEDED"}


@pytest.mark.parametrize(
    ("failing", "status"),
    [(10, "SUCCEEDED"), (11, "FAILED")],
)
def test_listobjects_lambda_tolerates_ten_failed_images(sfn_aws: AwsWorld, failing: int, status: str) -> None:
    sm, execution_input = seed("recon-dmap-s3-listobjects-lambda")
    s3 = _news_bucket(sfn_aws)
    broken = set(sorted(IMAGES)[:failing])

    def label(event: Any, context: Any) -> Any:
        if event["key"] in broken:
            raise RuntimeError(f"cannot decode {event['key']}")  # not a Lambda.* error: no Retry
        return {"key": event["key"]}

    run = sm.execute(execution_input, aws=sfn_aws, mocks={"Lambda Invoke": label})
    # ToleratedFailureCount 10: ten failed children are tolerated, the eleventh fails the Map
    assert run.status == status
    if status == "FAILED":
        assert run.error == "States.ExceedToleratedFailureThreshold"
        return
    files = result_files(s3, run.output["ResultWriterDetails"])
    failed = [child for text in files["FAILED"] for child in json.loads(text)]
    assert sorted(json.loads(child["Input"])["key"] for child in failed) == sorted(broken)
    assert {child["Status"] for child in failed} == {"FAILED"}
    assert sum(len(json.loads(text)) for text in files["SUCCEEDED"]) == len(IMAGES) - failing


# recon-dmap-jsonl-batch-inference-input (JSONata): a CSV of reviews, batched by 100, each batch turned into
# Bedrock batch-inference records, written as JSONL (FLATTEN: one record per line) for createModelInvocationJob.

REVIEWS = [f"Review number {n}: {'great' if n % 3 else 'awful'}, would buy again" for n in range(250)]


def _reviews_csv() -> str:
    rows = ["review_id,review_text,stars", *(f'r{n},"{text}",{n % 5 + 1}' for n, text in enumerate(REVIEWS))]
    return "\n".join(rows) + "\n"


def test_batch_inference_input_writes_one_jsonl_record_per_review(sfn_aws: AwsWorld) -> None:
    sm, execution_input = seed("recon-dmap-jsonl-batch-inference-input")
    s3 = bucket(sfn_aws, "reviews-bucket", {"reviews.csv": _reviews_csv()})
    jobs: list[Any] = []
    run = sm.execute(
        execution_input,
        aws=sfn_aws,
        execution_name="reviews-2026_12_07",
        mocks={"Start batch inference": lambda request, context: jobs.append(request) or {"JobArn": "job-1"}},
    )
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.output == {"JobArn": "job-1"}
    [job] = jobs
    # $replace with a regex turns the execution name's underscore into a hyphen
    assert job["JobName"] == "review-sentiment-reviews-2026-12-07"
    assert job["OutputDataConfig"] == {"S3OutputDataConfig": {"S3Uri": "s3://reviews-bucket/batch-output/"}}
    details = run.state("Build prompts").output["ResultWriterDetails"]
    assert job["InputDataConfig"]["S3InputDataConfig"]["S3Uri"] == f"s3://reviews-bucket/{details['Key']}"
    assert details["Bucket"] == "reviews-bucket" and details["Key"].startswith("batch-input/")
    # 250 reviews in batches of at most 100: three children; FLATTEN writes their records one per line
    files = result_files(s3, details)
    records = [json.loads(line) for text in files["SUCCEEDED"] for line in text.splitlines() if line]
    texts = [record["modelInput"]["messages"][0]["content"][0]["text"] for record in records]
    prompt = "Classify the sentiment of this product review as positive, negative or neutral: "
    assert sorted(texts) == sorted(prompt + review for review in REVIEWS)
    assert all(record["recordId"].isdigit() and record["modelInput"]["max_tokens"] == 200 for record in records)


# recon-dmap-jsonl-batch-inference-output (JSONata): Bedrock's JSONL output, batched by 25; each child sends its
# batch's errors to an SQS dead-letter queue and puts its successes in DynamoDB with an inline Map.

OUTPUT_KEY = "batch-output/job-1/records.jsonl.out"


def _inference_line(n: int) -> dict[str, Any]:
    record: dict[str, Any] = {"recordId": f"{n:03d}", "modelInput": {"max_tokens": 200}}
    if n % 6 == 5:
        record["error"] = {"errorCode": 400, "errorMessage": "Malformed input request"}
    else:
        record["modelOutput"] = {"content": [{"type": "text", "text": "positive" if n % 2 else "negative"}]}
    return record


def test_batch_inference_output_routes_errors_to_the_dlq_and_successes_to_dynamodb(sfn_aws: AwsWorld) -> None:
    sm, execution_input = seed("recon-dmap-jsonl-batch-inference-output")
    lines = [_inference_line(n) for n in range(60)]
    bucket(sfn_aws, "reviews-bucket", {OUTPUT_KEY: "".join(json.dumps(line) + "\n" for line in lines)})
    queue = sfn_aws.client("sqs").create_queue(QueueName="inference-errors-dlq")["QueueUrl"]
    dynamodb = sfn_aws.client("dynamodb")
    dynamodb.create_table(
        TableName="ReviewSentiment",
        KeySchema=[{"AttributeName": "recordId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "recordId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    run = sm.execute(execution_input, aws=sfn_aws)
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert len(run.output) == 3  # 60 lines in batches of 25: three children, no ResultWriter
    items = dynamodb.scan(TableName="ReviewSentiment")["Items"]
    successes = [line for line in lines if "error" not in line]
    assert sorted((item["recordId"]["S"], item["sentiment"]["S"]) for item in items) == [
        (line["recordId"], line["modelOutput"]["content"][0]["text"]) for line in successes
    ]
    messages = sfn_aws.client("sqs").receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    # Errors at lines 5, 11, ... 59: four in the first batch, four in the second, two in the third
    dead = sorted((json.loads(message["Body"]) for message in messages), key=lambda errors: errors[0]["recordId"])
    assert [[line["recordId"] for line in errors] for errors in dead] == [
        ["005", "011", "017", "023"],
        ["029", "035", "041", "047"],
        ["053", "059"],
    ]
