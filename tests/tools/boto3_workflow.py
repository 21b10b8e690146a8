#!/usr/bin/env python3
"""boto3, a real AWS client, drives the whole audience workflow against the
standalone cleanroomsml-emulator: the emulator must speak the service's wire
protocol and check the signatures as AWS does.

usage: boto3_workflow.py PATH/TO/cleanroomsml-emulator
Exits 77 (skipped) when boto3 is not installed."""

import os
import sys
import time

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError:
    print("boto3 is not installed: skipped")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_custom_models import Emulator, created_then_active, expect_error, wait_for  # noqa: E402

KEY, SECRET, REGION, ACCOUNT = "AKIDBOTO", "boto/secret", "eu-west-1", "111122223333"


def main(exe):
    with Emulator(exe, "--access-key-id", KEY, "--secret-access-key", SECRET, "--region", REGION,
                  "--account-id", ACCOUNT, "--lifecycle-delay-ms", "30") as emulator:
        url = emulator.url
        ml = boto3.client("cleanroomsml", endpoint_url=url, region_name=REGION, aws_access_key_id=KEY,
                          aws_secret_access_key=SECRET, config=Config(retries={"max_attempts": 1}))

        data = [{"type": "INTERACTIONS", "inputConfig": {
            "dataSource": {"glueDataSource": {"databaseName": "db", "tableName": "events"}},
            "schema": [{"columnName": "user", "columnTypes": ["USER_ID"]},
                       {"columnName": "item", "columnTypes": ["ITEM_ID"]},
                       {"columnName": "ts", "columnTypes": ["TIMESTAMP"]}]}}]
        ds = ml.create_training_dataset(name="purchases", roleArn=f"arn:aws:iam::{ACCOUNT}:role/ml",
                                        tags={"team": "growth"}, trainingData=data)["trainingDatasetArn"]
        assert ds.startswith(f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:training-dataset/"), ds
        got = ml.get_training_dataset(trainingDatasetArn=ds)
        assert got["name"] == "purchases" and got["status"] == "ACTIVE"
        assert got["createTime"].year >= 2024  # parsed as a datetime by boto3
        assert got["tags"] == {"team": "growth"}

        model = ml.create_audience_model(name="model", trainingDatasetArn=ds)["audienceModelArn"]
        created_then_active(lambda: ml.get_audience_model(audienceModelArn=model))

        cam = ml.create_configured_audience_model(
            name="lookalikes", audienceModelArn=model, sharedAudienceMetrics=["ALL"],
            outputConfig={"destination": {"s3Destination": {"s3Uri": "s3://bucket/out"}},
                          "roleArn": f"arn:aws:iam::{ACCOUNT}:role/out"},
            audienceSizeConfig={"audienceSizeType": "ABSOLUTE", "audienceSizeBins": [1000, 5000]},
            childResourceTagOnCreatePolicy="FROM_PARENT_RESOURCE",
            tags={"cost-center": "42"})["configuredAudienceModelArn"]
        policy = '{"Version":"2012-10-17","Statement":[]}'
        put = ml.put_configured_audience_model_policy(configuredAudienceModelArn=cam,
                                                      configuredAudienceModelPolicy=policy)
        assert len(put["policyHash"]) == 64
        expect_error("ConflictException", ml.put_configured_audience_model_policy, configuredAudienceModelArn=cam,
                     configuredAudienceModelPolicy=policy, previousPolicyHash="0" * 64)
        assert ml.get_configured_audience_model_policy(configuredAudienceModelArn=cam)["policyHash"] == put["policyHash"]

        job = ml.start_audience_generation_job(
            name="spring", configuredAudienceModelArn=cam,
            seedAudience={"dataSource": {"s3Uri": "s3://bucket/seed.csv"},
                          "roleArn": f"arn:aws:iam::{ACCOUNT}:role/seed"})["audienceGenerationJobArn"]
        wait_for(lambda: ml.get_audience_generation_job(audienceGenerationJobArn=job), "ACTIVE")
        detail = ml.get_audience_generation_job(audienceGenerationJobArn=job)
        assert [m["audienceSize"]["value"] for m in detail["metrics"]["relevanceMetrics"]] == [1000, 5000]
        assert ml.list_tags_for_resource(resourceArn=job)["tags"] == {"cost-center": "42"}

        ml.start_audience_export_job(name="export", audienceGenerationJobArn=job,
                                     audienceSize={"type": "ABSOLUTE", "value": 1000})
        expect_error("ValidationException", ml.start_audience_export_job, name="other",
                     audienceGenerationJobArn=job, audienceSize={"type": "ABSOLUTE", "value": 7})

        def export_status():
            jobs = ml.list_audience_export_jobs(audienceGenerationJobArn=job)["audienceExportJobs"]
            return {"status": jobs[0]["status"]}
        wait_for(export_status, "ACTIVE")

        # boto3's own paginators over the emulator's page tokens.
        for i in range(4):
            ml.create_training_dataset(name=f"more-{i}", roleArn=f"arn:aws:iam::{ACCOUNT}:role/ml",
                                       trainingData=data)
        pages = list(ml.get_paginator("list_training_datasets").paginate(PaginationConfig={"PageSize": 2}))
        assert [len(p["trainingDatasets"]) for p in pages] == [2, 2, 1], [len(p["trainingDatasets"]) for p in pages]
        expect_error("ValidationException", ml.list_training_datasets, nextToken="forged")

        ml.tag_resource(resourceArn=model, tags={"stage": "beta"})
        ml.untag_resource(resourceArn=model, tagKeys=["stage"])
        assert ml.list_tags_for_resource(resourceArn=model)["tags"] == {}

        e = expect_error("ConflictException", ml.delete_training_dataset, trainingDatasetArn=ds)
        assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 409
        expect_error("ResourceNotFoundException", ml.get_audience_model,
                     audienceModelArn=f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:audience-model/nope")

        # A client with the wrong secret is refused.
        intruder = boto3.client("cleanroomsml", endpoint_url=url, region_name=REGION, aws_access_key_id=KEY,
                                aws_secret_access_key="wrong", config=Config(retries={"max_attempts": 1}))
        expect_error("InvalidSignatureException", intruder.list_audience_models)

        # Clean up from the leaves.
        ml.delete_audience_generation_job(audienceGenerationJobArn=job)
        expect_error("ConflictException", ml.delete_configured_audience_model, configuredAudienceModelArn=cam)
        deadline = time.time() + 10
        while True:
            try:
                ml.get_audience_generation_job(audienceGenerationJobArn=job)
            except ClientError as err:
                assert err.response["Error"]["Code"] == "ResourceNotFoundException"
                break
            assert time.time() < deadline, "the generation job was never deleted"
            time.sleep(0.01)
        ml.delete_configured_audience_model(configuredAudienceModelArn=cam)
        ml.delete_audience_model(audienceModelArn=model)
    # Every request was logged, with its operation.
    assert "CreateTrainingDataset" in emulator.log and "InvalidSignatureException" in emulator.log, \
        emulator.log[-2000:]
    print("boto3 workflow against the emulator: ok")


if __name__ == "__main__":
    main(sys.argv[1])
