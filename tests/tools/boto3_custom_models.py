#!/usr/bin/env python3
"""boto3, a real AWS client, drives the custom-model workflow against the
standalone cleanroomsml-emulator: ML configuration, configured model algorithm
and its association, ML input channel, trained model (and an incremental
version), inference job, export job, the collaboration views, and the clean-up.
botocore reads the project's copy of the service model (codegen/model/, through
AWS_DATA_PATH), so it knows the newest members (payerConfiguration, ...). boto3
has no waiters for Clean Rooms ML: the script polls as a user would.

usage: boto3_custom_models.py PATH/TO/cleanroomsml-emulator
Exits 77 (skipped) when boto3 is not installed."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The emulator's collaboration and membership when none is declared
# (cleanroomsml/testing/emulator_options.hpp).
COLLABORATION = "c0110000-0000-4000-8000-000000000001"
MEMBERSHIP = "3e3b0000-0000-4000-8000-000000000001"
KEY, SECRET, REGION, ACCOUNT = "AKIDBOTOML", "boto/ml/secret", "eu-west-1", "111122223333"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml"
MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, "codegen", "model")


def write_data_path(root):
    """Lays the project's model copy out under `root` as botocore's loader
    reads it from AWS_DATA_PATH (<service>/<api version>/<kind>-<n>.json);
    returns `root`."""
    with open(os.path.join(MODEL, "service.json")) as f:
        version = json.load(f)["metadata"]["apiVersion"]
    folder = os.path.join(root, "cleanroomsml", version)
    os.makedirs(folder, exist_ok=True)
    for ours, botocores in (("service.json", "service-2.json"), ("paginators.json", "paginators-1.json"),
                            ("endpoint-rule-set.json", "endpoint-rule-set-1.json")):
        shutil.copyfile(os.path.join(MODEL, ours), os.path.join(folder, botocores))
    return root


# ---- shared with boto3_workflow.py and cli.py ----

class Emulator:
    """The standalone emulator on an ephemeral port, for a `with` block: its
    URL while it runs; when it stops, a check that SIGTERM ended it cleanly,
    and its log (stderr) in `log`."""

    def __init__(self, exe, *args):
        self.command = [exe, "--port", "0", *args]
        self.log = ""

    def __enter__(self):
        self.server = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.url = self.server.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.__exit__(None, None, None)
            raise AssertionError(f"unexpected first line {self.url!r}: {self.log[-2000:]}")
        return self

    def __exit__(self, failure, *_):
        self.server.terminate()
        try:
            _, self.log = self.server.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
            raise AssertionError("the emulator did not stop on SIGTERM")
        if failure is None:
            assert self.server.returncode == 0, f"emulator exited with {self.server.returncode}"
        return False


def expect_error(code, fn, **kw):
    from botocore.exceptions import ClientError
    try:
        fn(**kw)
    except ClientError as e:
        got = e.response["Error"]["Code"]
        assert got == code, f"expected {code}, got {got}: {e}"
        assert e.response["ResponseMetadata"].get("RequestId"), "no request id"
        return e
    raise AssertionError(f"expected {code}, the call succeeded")


def wait_for(fn, status, timeout=10.0):
    """Polls fn() (a Get, or a lookup in a listing) until its status is
    `status`; returns the statuses seen, in order."""
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = fn()["status"]
        if not seen or seen[-1] != s:
            seen.append(s)
        if s == status:
            return seen
        time.sleep(0.01)
    raise AssertionError(f"still {seen[-1]} after {timeout} s (saw {seen})")


def created_then_active(get):
    """Polls `get` from the resource's creation until it is ACTIVE; returns its last response."""
    seen = wait_for(get, "ACTIVE")
    assert seen[0] == "CREATE_PENDING", seen
    return get()


# ---- the workflow ----


def workflow(ml):
    m = {"membershipIdentifier": MEMBERSHIP}
    # The newest members come from the project's model, not the installed botocore's.
    members = ml.meta.service_model.operation_model("CreateMLInputChannel").input_shape.members
    assert "payerConfiguration" in members, "botocore did not read the model from AWS_DATA_PATH"

    # The membership's ML configuration.
    output = {"destination": {"s3Destination": {"s3Uri": "s3://bucket/ml-output/"}}, "roleArn": ROLE}
    ml.put_ml_configuration(defaultOutputLocation=output, **m)
    got = ml.get_ml_configuration(**m)
    assert got["membershipIdentifier"] == MEMBERSHIP and got["defaultOutputLocation"] == output, got

    # The algorithm (the account's) and its association with the membership.
    training = {"imageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:1", "entrypoint": ["python3"],
                "arguments": ["train.py"], "metricDefinitions": [{"name": "loss", "regex": "loss=(.*)"}]}
    inference = {"imageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/infer:1"}
    algo = ml.create_configured_model_algorithm(name="recommender", roleArn=ROLE, trainingContainerConfig=training,
                                                inferenceContainerConfig=inference,
                                                tags={"team": "ml"})["configuredModelAlgorithmArn"]
    assert algo.startswith(f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:configured-model-algorithm/"), algo
    got = ml.get_configured_model_algorithm(configuredModelAlgorithmArn=algo)
    assert got["trainingContainerConfig"] == training and got["inferenceContainerConfig"] == inference, got
    assert got["createTime"].year >= 2024  # parsed as a datetime
    assert ml.list_tags_for_resource(resourceArn=algo)["tags"] == {"team": "ml"}

    privacy = {"policies": {"trainedModels": {"containerMetrics": {"noiseLevel": "LOW"}},
                            "trainedModelExports": {"maxSize": {"unit": "GB", "value": 5.0},
                                                    "filesToExport": ["MODEL"]}}}
    assoc = ml.create_configured_model_algorithm_association(
        configuredModelAlgorithmArn=algo, name="recommender-here", privacyConfiguration=privacy,
        **m)["configuredModelAlgorithmAssociationArn"]
    assert f":membership/{MEMBERSHIP}/configured-model-algorithm-association/" in assoc, assoc
    got = ml.get_collaboration_configured_model_algorithm_association(
        collaborationIdentifier=COLLABORATION, configuredModelAlgorithmAssociationArn=assoc)
    assert got["configuredModelAlgorithmArn"] == algo and got["creatorAccountId"] == ACCOUNT, got
    assert got["privacyConfiguration"] == privacy, got

    # An ML input channel: a union as data source, the newest members set.
    channel_input = {"dataSource": {"protectedQueryInputParameters": {
        "sqlParameters": {"queryString": "SELECT user, item FROM events"},
        "computeConfiguration": {"worker": {"type": "CR.8X", "number": 4}}, "resultFormat": "PARQUET"}},
        "roleArn": ROLE}
    payer = {"computePayerAccountId": ACCOUNT}
    channel = ml.create_ml_input_channel(configuredModelAlgorithmAssociations=[assoc], inputChannel=channel_input,
                                         name="events", retentionInDays=30, payerConfiguration=payer,
                                         **m)["mlInputChannelArn"]
    got = created_then_active(lambda: ml.get_ml_input_channel(mlInputChannelArn=channel, **m))
    assert got["inputChannel"] == channel_input and got["payerConfiguration"] == payer, got
    assert got["collaborationIdentifier"] == COLLABORATION and got["retentionInDays"] == 30, got

    # A trained model, then an incremental version of it under the same name.
    resources = {"instanceType": "ml.m5.xlarge", "instanceCount": 1, "volumeSizeInGB": 20}
    model = ml.create_trained_model(name="recommender-v1", configuredModelAlgorithmAssociationArn=assoc,
                                    resourceConfig=resources, hyperparameters={"epochs": "3"},
                                    stoppingCondition={"maxRuntimeInSeconds": 3600},
                                    dataChannels=[{"mlInputChannelArn": channel, "channelName": "train"}],
                                    mlModelTrainingPayerAccountId=ACCOUNT, **m)["trainedModelArn"]
    assert f":membership/{MEMBERSHIP}/trained-model/" in model, model
    expect_error("ValidationException", ml.create_trained_model, name="twice", resourceConfig=resources,
                 configuredModelAlgorithmAssociationArn=assoc,
                 dataChannels=[{"mlInputChannelArn": channel, "channelName": "train"}] * 2, **m)
    got = created_then_active(lambda: ml.get_trained_model(trainedModelArn=model, **m))
    assert got["mlModelTrainingPayerAccountId"] == ACCOUNT and got["resourceConfig"] == resources, got
    assert got["hyperparameters"] == {"epochs": "3"} and got["trainingContainerImageDigest"].startswith("sha256:")
    version = ml.create_trained_model(
        name="recommender-v1", configuredModelAlgorithmAssociationArn=assoc, resourceConfig=resources,
        dataChannels=[{"mlInputChannelArn": channel, "channelName": "more"}],
        incrementalTrainingDataChannels=[{"trainedModelArn": model, "channelName": "base"}], **m)
    assert version["trainedModelArn"] == model and version["versionIdentifier"], version
    version = version["versionIdentifier"]
    wait_for(lambda: ml.get_trained_model(trainedModelArn=model, versionIdentifier=version, **m), "ACTIVE")
    pages = list(ml.get_paginator("list_trained_model_versions").paginate(
        trainedModelArn=model, PaginationConfig={"PageSize": 1}, **m))
    assert [len(p["trainedModels"]) for p in pages] == [1, 1], pages
    assert {p["trainedModels"][0].get("versionIdentifier") for p in pages} == {None, version}, pages

    # Inference over the channel with the base version.
    job = ml.start_trained_model_inference_job(
        name="scores", trainedModelArn=model, resourceConfig={"instanceType": "ml.m5.xlarge", "instanceCount": 1},
        outputConfiguration={"accept": "text/csv", "members": [{"accountId": ACCOUNT}]},
        dataSource={"mlInputChannelArn": channel}, mlModelInferencePayerAccountId=ACCOUNT,
        **m)["trainedModelInferenceJobArn"]
    wait_for(lambda: ml.get_trained_model_inference_job(trainedModelInferenceJobArn=job, **m), "ACTIVE")
    got = ml.get_trained_model_inference_job(trainedModelInferenceJobArn=job, **m)
    assert got["trainedModelArn"] == model and got["mlModelInferencePayerAccountId"] == ACCOUNT, got
    assert got["configuredModelAlgorithmAssociationArn"] == assoc, got
    jobs = ml.list_collaboration_trained_model_inference_jobs(collaborationIdentifier=COLLABORATION)
    assert [j["trainedModelInferenceJobArn"] for j in jobs["collaborationTrainedModelInferenceJobs"]] == [job], jobs
    expect_error("ConflictException", ml.cancel_trained_model_inference_job, trainedModelInferenceJobArn=job, **m)

    # An export job: no Get, found by name in the collaboration's listing.
    ml.start_trained_model_export_job(name="to-us", trainedModelArn=model,
                                      outputConfiguration={"members": [{"accountId": ACCOUNT}]}, **m)
    expect_error("ConflictException", ml.start_trained_model_export_job, name="to-us", trainedModelArn=model,
                 outputConfiguration={"members": [{"accountId": ACCOUNT}]}, **m)

    def export_job():
        listed = ml.list_collaboration_trained_model_export_jobs(collaborationIdentifier=COLLABORATION,
                                                                 trainedModelArn=model)
        found = [j for j in listed["collaborationTrainedModelExportJobs"] if j["name"] == "to-us"]
        assert len(found) == 1, listed
        return found[0]
    wait_for(export_job, "ACTIVE")
    assert export_job()["membershipIdentifier"] == MEMBERSHIP and export_job()["creatorAccountId"] == ACCOUNT

    # The collaboration's views.
    listed = ml.list_collaboration_ml_input_channels(collaborationIdentifier=COLLABORATION)
    assert [c["mlInputChannelArn"] for c in listed["collaborationMLInputChannelsList"]] == [channel], listed
    listed = ml.list_collaboration_trained_models(collaborationIdentifier=COLLABORATION)
    assert [t["trainedModelArn"] for t in listed["collaborationTrainedModels"]] == [model], listed
    got = ml.get_collaboration_trained_model(collaborationIdentifier=COLLABORATION, trainedModelArn=model)
    # Without a version identifier, reads take the latest version (the incremental one, no payer set).
    assert got["creatorAccountId"] == ACCOUNT and got["versionIdentifier"] == version, got
    assert "mlModelTrainingPayerAccountId" not in got, got
    expect_error("AccessDeniedException", ml.list_trained_models,
                 membershipIdentifier="3e3b0000-0000-4000-8000-0000000000ff")

    # Clean up: the outputs and the data go INACTIVE (their records stay),
    # then the association, the algorithm and the configuration go.
    expect_error("ConflictException", ml.delete_configured_model_algorithm_association,
                 configuredModelAlgorithmAssociationArn=assoc, **m)
    ml.delete_trained_model_output(trainedModelArn=model, versionIdentifier=version, **m)
    ml.delete_trained_model_output(trainedModelArn=model, **m)
    wait_for(lambda: ml.get_trained_model(trainedModelArn=model, versionIdentifier=version, **m), "INACTIVE")
    ml.delete_ml_input_channel_data(mlInputChannelArn=channel, **m)
    wait_for(lambda: ml.get_ml_input_channel(mlInputChannelArn=channel, **m), "INACTIVE")
    ml.delete_configured_model_algorithm_association(configuredModelAlgorithmAssociationArn=assoc, **m)
    ml.delete_configured_model_algorithm(configuredModelAlgorithmArn=algo)
    expect_error("ResourceNotFoundException", ml.get_configured_model_algorithm, configuredModelAlgorithmArn=algo)
    ml.delete_ml_configuration(**m)
    expect_error("ResourceNotFoundException", ml.get_ml_configuration, **m)


def main(exe):
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        print("boto3 is not installed: skipped")
        sys.exit(77)

    with Emulator(exe, "--access-key-id", KEY, "--secret-access-key", SECRET, "--region", REGION,
                  "--account-id", ACCOUNT, "--lifecycle-delay-ms", "30") as emulator:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["AWS_DATA_PATH"] = write_data_path(tmp)
            ml = boto3.session.Session().client(
                "cleanroomsml", endpoint_url=emulator.url, region_name=REGION, aws_access_key_id=KEY,
                aws_secret_access_key=SECRET, config=Config(retries={"max_attempts": 1}))
            workflow(ml)
    # Every request was logged, with its operation.
    assert "CreateMLInputChannel" in emulator.log and "ListCollaborationTrainedModelExportJobs" in emulator.log, \
        emulator.log[-2000:]
    print("boto3 custom-model workflow against the emulator: ok")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
