#!/usr/bin/env python3
"""cleanroomsml-cli against the standalone cleanroomsml-emulator: commands and
options derived from the model (named as the AWS CLI names them: botocore's
xform_name), JSON output, auto-pagination, waiters, the AWS CLI's error
messages and exit codes, and the custom-model workflow with the waiters of its
resources.

usage: cli.py PATH/TO/cleanroomsml-cli PATH/TO/cleanroomsml-emulator"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_custom_models import Emulator, write_data_path  # noqa: E402

KEY, SECRET, REGION, ACCOUNT = "AKIDCLI", "cli/secret", "us-east-1", "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml"
# The collaboration the emulator is told of (--collaboration): two of the
# caller's memberships, the second under another account.
COLLABORATION = "c0110000-0000-4000-8000-0000000000c1"
MEMBERSHIP, OTHER_MEMBERSHIP, OTHER_ACCOUNT = ("3e3b0000-0000-4000-8000-0000000000a1",
                                               "3e3b0000-0000-4000-8000-0000000000b2", "444455556666")
WAITERS = ["training-dataset-active", "training-dataset-deleted", "audience-model-active", "audience-model-deleted",
           "configured-audience-model-active", "configured-audience-model-deleted",
           "audience-generation-job-active", "audience-generation-job-deleted",
           "ml-input-channel-active", "ml-input-channel-deleted", "trained-model-active", "trained-model-deleted",
           "trained-model-inference-job-active", "audience-export-job-active", "trained-model-export-job-active"]
FAST = ["--min-delay", "0.02", "--max-delay", "0.1", "--max-wait", "20"]
DATA = [{"type": "INTERACTIONS", "inputConfig": {
    "dataSource": {"glueDataSource": {"databaseName": "db", "tableName": "events"}},
    "schema": [{"columnName": "user", "columnTypes": ["USER_ID"]},
               {"columnName": "item", "columnTypes": ["ITEM_ID"]},
               {"columnName": "ts", "columnTypes": ["TIMESTAMP"]}]}}]


class Cli:
    def __init__(self, exe, url, tmp):
        self.exe, self.url = exe, url
        # Nothing of this machine's AWS setup may leak in.
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update(AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_REGION=REGION,
                        AWS_CONFIG_FILE=os.path.join(tmp, "no-config"),
                        AWS_SHARED_CREDENTIALS_FILE=os.path.join(tmp, "no-credentials"),
                        AWS_EC2_METADATA_DISABLED="true")

    def run(self, *args, expect=0, env=None, endpoint=True):
        cmd = [self.exe] + (["--endpoint-url", self.url] if endpoint else []) + list(args)
        e = dict(self.env)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=60)
        assert p.returncode == expect, \
            f"{args}: exit {p.returncode}, expected {expect}\nstdout: {p.stdout}\nstderr: {p.stderr}"
        return p

    def json(self, *args, **kw):
        out = self.run(*args, **kw).stdout
        doc = json.loads(out)
        # The AWS CLI's layout: 4-space indentation, members in the service's order.
        assert out == json.dumps(doc, indent=4, ensure_ascii=False) + "\n", out
        return doc


def options_in_help(text):
    return re.findall(r"^  --([a-z0-9-]+) <", text, re.M)


def test_help(cli):
    out = cli.run("help").stdout
    commands = re.findall(r"^  ([a-z-]+)$", out, re.M)
    assert len(commands) == 60 and "get-audience-model" in commands and "wait" in commands, commands
    assert "list-training-datasets" in commands and "untag-resource" in commands
    assert "create-ml-input-channel" in commands and "list-collaboration-trained-model-export-jobs" in commands
    waiters = re.findall(r"^  ([a-z-]+)$", cli.run("wait", "help").stdout, re.M)
    assert waiters == WAITERS, waiters
    out = cli.run("create-training-dataset", "help").stdout
    assert re.search(r"--training-data <list of structure Dataset>\s+required", out), out
    assert re.search(r"--description <string>\s+optional", out), out
    assert "--audience-model-arn <string>" in cli.run("wait", "audience-model-active", "help").stdout
    assert cli.run("--version").stdout.startswith("cleanroomsml-cli/")
    cli.run(expect=252)  # no command: usage on stderr


def test_names_against_botocore(cli, tmp):
    """Every command, option and waiter is named as the AWS CLI names them:
    botocore's xform_name of the operation and member names, botocore reading
    the project's model (the installed one lacks the newest members)."""
    try:
        import botocore.session
        from botocore import xform_name
    except ImportError:
        print("botocore is not installed: names not checked against xform_name")
        return
    session = botocore.session.get_session()
    session.set_config_variable("data_path", write_data_path(os.path.join(tmp, "models")))
    model = session.get_service_model("cleanroomsml")
    assert len(model.operation_names) == 59, model.operation_names
    commands = re.findall(r"^  ([a-z-]+)$", cli.run("help").stdout, re.M)
    assert commands == sorted(xform_name(op, "-") for op in model.operation_names) + ["wait"], commands
    assert "payerConfiguration" in model.operation_model("CreateMLInputChannel").input_shape.members
    paginated = set(session.get_component("data_loader").load_service_model("cleanroomsml", "paginators-1")
                    ["pagination"])
    assert len(paginated) == 16, paginated
    for op in model.operation_names:
        members = model.operation_model(op).input_shape.members
        text = cli.run(xform_name(op, "-"), "help").stdout
        assert options_in_help(text) == [xform_name(m, "-") for m in members], (op, text)
        # Listings with a paginator merge their pages.
        assert ("\nPaginated: every page" in text) == (op in paginated), (op, text)
    # A waiter's options: the Get request's members, or the List request's
    # but its paging members, and the name of what it looks for.
    for waiter in WAITERS:
        text = cli.run("wait", waiter, "help").stdout
        op = re.search(r"\(polls (\w+)\)", text).group(1)
        members = [xform_name(m, "-") for m in model.operation_model(op).input_shape.members
                   if m not in ("nextToken", "maxResults")]
        if op.startswith("List"):
            members.append("name")
        assert options_in_help(text) == members + ["min-delay", "max-delay", "max-wait"], (waiter, op, text)
        # Named after the resource it polls for, and the goal.
        stem = xform_name(op, "-").split("-", 1)[1]  # "trained-model", "collaboration-...-export-jobs"
        if op.startswith("List"):
            stem = stem.removeprefix("collaboration-").removesuffix("s")
        assert waiter in (stem + "-active", stem + "-deleted"), (waiter, op)


def test_create_get(cli, tmp):
    arn = cli.json("create-training-dataset", "--name", "first", "--role-arn", ROLE,
                   "--training-data", json.dumps(DATA), "--tags", '{"team":"growth"}')["trainingDatasetArn"]
    assert arn.startswith(f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:training-dataset/"), arn
    got = cli.json("get-training-dataset", "--training-dataset-arn", arn)
    assert got["name"] == "first" and got["status"] == "ACTIVE" and got["roleArn"] == ROLE, got
    assert got["tags"] == {"team": "growth"} and got["trainingData"] == DATA, got
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", got["createTime"]), got["createTime"]

    # The whole request from --cli-input-json, inline or file://; options override its members.
    whole = {"name": "from-json", "roleArn": ROLE, "trainingData": DATA, "description": "d"}
    arn2 = cli.json("create-training-dataset", "--cli-input-json", json.dumps(whole))["trainingDatasetArn"]
    assert cli.json("get-training-dataset", "--training-dataset-arn", arn2)["description"] == "d"
    path = os.path.join(tmp, "input.json")
    with open(path, "w") as f:
        json.dump(whole, f)
    arn3 = cli.json("create-training-dataset", "--cli-input-json", "file://" + path,
                    "--name", "overridden")["trainingDatasetArn"]
    assert cli.json("get-training-dataset", "--training-dataset-arn", arn3)["name"] == "overridden"
    # --output text: the AWS CLI's tab-separated layout (and AWS_DEFAULT_OUTPUT picks it).
    out = cli.run("create-training-dataset", "--cli-input-json", json.dumps(whole), "--name", "text",
                  env={"AWS_DEFAULT_OUTPUT": "text"}).stdout
    assert re.fullmatch(r"arn:aws:cleanrooms-ml:\S+:training-dataset/\S+\n", out), repr(out)
    lines = cli.run("--output", "text", "get-training-dataset", "--training-dataset-arn", arn).stdout.splitlines()
    assert lines[0].split("\t")[1:] == ["first", ROLE, "ACTIVE", arn, got["updateTime"]], lines
    assert "TAGS\tgrowth" in lines and "COLUMNTYPES\tUSER_ID" in lines, lines
    skeleton = cli.json("create-training-dataset", "--generate-cli-skeleton")
    assert set(skeleton) == {"description", "name", "roleArn", "tags", "trainingData"}, skeleton
    return arn


def test_pagination(cli):
    for i in range(5):
        cli.json("create-training-dataset", "--name", f"page-{i}", "--role-arn", ROLE,
                 "--training-data", json.dumps(DATA))
    total = 4 + 5
    # Every page, merged; --max-results is the page size.
    p = cli.run("list-training-datasets", "--max-results", "2", "--debug")
    doc = json.loads(p.stdout)
    names = [d["name"] for d in doc["trainingDatasets"]]
    assert len(names) == total and len(set(names)) == total, names
    assert "nextToken" not in doc and "NextToken" not in doc, doc
    assert "ListTrainingDatasets page 4" in p.stderr, p.stderr

    # One page only, with the service's token; it continues where it stopped.
    one = cli.json("list-training-datasets", "--max-results", "2", "--no-paginate")
    assert len(one["trainingDatasets"]) == 2 and one["nextToken"], one
    two = cli.json("list-training-datasets", "--max-results", "2", "--no-paginate",
                   "--starting-token", one["nextToken"])
    assert [d["name"] for d in two["trainingDatasets"]] == names[2:4], two

    # --max-items cuts inside a page; NextToken resumes at the next item.
    first = cli.json("list-training-datasets", "--page-size", "2", "--max-items", "3")
    assert [d["name"] for d in first["trainingDatasets"]] == names[:3] and first["NextToken"], first
    rest = cli.json("list-training-datasets", "--page-size", "2", "--starting-token", first["NextToken"])
    assert [d["name"] for d in rest["trainingDatasets"]] == names[3:], rest
    at_page_end = cli.json("list-training-datasets", "--page-size", "2", "--max-items", "4")
    rest = cli.json("list-training-datasets", "--starting-token", at_page_end["NextToken"])
    assert [d["name"] for d in rest["trainingDatasets"]] == names[4:], rest


def test_errors(cli, tmp):
    unknown = f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:training-dataset/00000000-0000-0000-0000-000000000000"
    err = cli.run("get-training-dataset", "--training-dataset-arn", unknown, expect=254).stderr
    assert re.fullmatch(r"\nAn error occurred \(ResourceNotFoundException\) when calling the GetTrainingDataset "
                        r"operation: .+\n", err), repr(err)

    err = cli.run("list-training-datasets", "--max-results", "abc", expect=252).stderr
    assert "argument --max-results: expected an integer, got 'abc'" in err, err
    err = cli.run("list-training-datasets", "--max-results", "500", expect=252).stderr
    assert "Parameter validation failed" in err and "--max-results" in err and "100" in err, err
    err = cli.run("get-training-dataset", expect=252).stderr
    assert "the following arguments are required: --training-dataset-arn" in err, err
    err = cli.run("get-training-dataset", "--training-dataset-arn", unknown, "--bogus", "1", expect=252).stderr
    assert "Unknown options: --bogus" in err, err
    err = cli.run("create-training-dataset", "--name", "x", "--role-arn", ROLE,
                  "--training-data", '[{"type":"INTERACTIONS"}]', expect=252).stderr
    assert "--training-data (trainingData[0].inputConfig): missing required member" in err, err
    err = cli.run("create-training-dataset", "--name", "x", "--role-arn", ROLE,
                  "--training-data", "[{", expect=252).stderr
    assert "argument --training-data: invalid JSON" in err, err
    err = cli.run("create-training-dataset", "--cli-input-json", '{"nme":"x"}', expect=252).stderr
    assert 'Unknown parameter in input: "nme"' in err, err
    err = cli.run("get-trainig-dataset", expect=252).stderr
    assert "Invalid choice 'get-trainig-dataset' (did you mean get-training-dataset?)" in err, err
    err = cli.run("get-training-dataset", "--training-dataset-arn", unknown, "--max-items", "2", expect=252).stderr
    assert "--max-items" in err, err

    # Configuration: no region, no credentials, an unknown profile.
    err = cli.run("list-audience-models", env={"AWS_REGION": None}, expect=253).stderr
    assert "You must specify a region" in err, err
    err = cli.run("list-audience-models", env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
                  expect=253).stderr
    assert "Unable to locate credentials" in err, err
    err = cli.run("--profile", "nope", "list-audience-models", expect=253).stderr
    assert '"nope"' in err, err

    # Nothing listens there.
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    err = cli.run("--endpoint-url", f"http://127.0.0.1:{port}", "list-audience-models", endpoint=False,
                  expect=255).stderr
    assert f'Could not connect to the endpoint URL: "http://127.0.0.1:{port}"' in err, err

    # An OpenSSL configuration that asks for FIPS implementations: signing
    # uses only what its providers offer. Debian 12 ships no FIPS module, so
    # the call stops with OpenSSL's refusal named, before anything is sent;
    # where a FIPS provider is installed and active, the call goes through.
    cnf = os.path.join(tmp, "openssl-fips.cnf")
    with open(cnf, "w") as f:
        f.write("openssl_conf = openssl_init\n[openssl_init]\nalg_section = evp_properties\n"
                "[evp_properties]\ndefault_properties = fips=yes\n")
    p = subprocess.run([cli.exe, "--endpoint-url", cli.url, "list-audience-models"],
                       env=dict(cli.env, OPENSSL_CONF=cnf), capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        assert p.returncode == 255 and "no OpenSSL provider offers SHA-256" in p.stderr \
            and "default_properties" in p.stderr, (p.returncode, p.stderr)
    else:
        print("cli: a FIPS provider is active here; signing went through it")


def test_profile(cli, tmp):
    config, creds = os.path.join(tmp, "config"), os.path.join(tmp, "credentials")
    with open(config, "w") as f:
        f.write(f"[profile dev]\nregion = {REGION}\n")
    with open(creds, "w") as f:
        f.write(f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    env = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_REGION": None,
           "AWS_CONFIG_FILE": config, "AWS_SHARED_CREDENTIALS_FILE": creds}
    doc = cli.json("--profile", "dev", "list-audience-models", env=env)
    assert doc == {"audienceModels": []} or "audienceModels" in doc, doc
    cli.run("list-audience-models", env=dict(env, AWS_PROFILE="dev"))
    cli.run("list-audience-models", env=env, expect=253)  # profile default: no region


def test_tags_and_types(cli, dataset):
    cli.run("tag-resource", "--resource-arn", dataset, "--tags", '{"a":"1","b":"2","c":"3"}')
    # A list of strings: several values, a repeated option, or a JSON array.
    cli.run("untag-resource", "--resource-arn", dataset, "--tag-keys", "a", "--tag-keys", "b")
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"] == {"c": "3", "team": "growth"}
    cli.run("untag-resource", "--resource-arn", dataset, "--tag-keys", '["c"]')
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"] == {"team": "growth"}

    # Timestamps: a date, or epoch seconds.
    model = cli.json("create-audience-model", "--name", "model", "--training-dataset-arn", dataset,
                     "--training-data-start-time", "2024-01-01",
                     "--training-data-end-time", "1717200000")["audienceModelArn"]
    got = cli.json("get-audience-model", "--audience-model-arn", model)
    assert got["trainingDataStartTime"] == "2024-01-01T00:00:00Z", got
    assert got["trainingDataEndTime"] == "2024-06-01T00:00:00Z", got
    err = cli.run("create-audience-model", "--name", "m", "--training-dataset-arn", dataset,
                  "--training-data-start-time", "yesterday", expect=252).stderr
    assert "argument --training-data-start-time: expected a timestamp" in err, err
    return model


def test_waiters(cli, model):
    fast = ["--min-delay", "0.02", "--max-delay", "0.1", "--max-wait", "20"]
    p = cli.run("wait", "audience-model-active", "--audience-model-arn", model, *fast)
    assert p.stdout == "", p.stdout
    assert cli.json("get-audience-model", "--audience-model-arn", model)["status"] == "ACTIVE"

    cam = cli.json("create-configured-audience-model", "--name", "lookalikes", "--audience-model-arn", model,
                   "--shared-audience-metrics", "ALL",
                   "--output-config", json.dumps({"destination": {"s3Destination": {"s3Uri": "s3://bucket/out"}},
                                                  "roleArn": ROLE}),
                   "--audience-size-config", '{"audienceSizeType":"ABSOLUTE","audienceSizeBins":[1000,5000]}'
                   )["configuredAudienceModelArn"]
    cli.run("wait", "configured-audience-model-active", "--configured-audience-model-arn", cam, *fast)
    job = cli.json("start-audience-generation-job", "--name", "spring", "--configured-audience-model-arn", cam,
                   "--include-seed-in-output",
                   "--seed-audience", json.dumps({"dataSource": {"s3Uri": "s3://bucket/seed.csv"}, "roleArn": ROLE})
                   )["audienceGenerationJobArn"]
    cli.run("wait", "audience-generation-job-active", "--audience-generation-job-arn", job, *fast)
    got = cli.json("get-audience-generation-job", "--audience-generation-job-arn", job)
    assert got["status"] == "ACTIVE" and got["includeSeedInOutput"] is True, got
    cli.run("start-audience-export-job", "--name", "export", "--audience-generation-job-arn", job,
            "--audience-size", '{"type":"ABSOLUTE","value":1000}')
    cli.run("wait", "audience-export-job-active", "--audience-generation-job-arn", job, "--name", "export", *fast)
    jobs = cli.json("list-audience-export-jobs", "--audience-generation-job-arn", job)["audienceExportJobs"]
    assert [j["status"] for j in jobs] == ["ACTIVE"], jobs

    cli.run("delete-audience-generation-job", "--audience-generation-job-arn", job)
    cli.run("wait", "audience-generation-job-deleted", "--audience-generation-job-arn", job, *fast)
    err = cli.run("wait", "audience-generation-job-active", "--audience-generation-job-arn", job, *fast,
                  expect=255).stderr
    assert re.fullmatch(r"\nWaiter AudienceGenerationJobActive failed: An error occurred "
                        r"\(ResourceNotFoundException\) when calling the GetAudienceGenerationJob operation: .+\n",
                        err), repr(err)
    err = cli.run("wait", "audience-model-active", "--audience-model-arn", "not-an-arn", expect=252).stderr
    assert "--audience-model-arn" in err, err
    err = cli.run("wait", "audience-model-actve", expect=252).stderr
    assert "did you mean audience-model-active?" in err, err


def test_custom_models(cli):
    """The custom-model workflow: ML configuration, algorithm and association,
    ML input channels, a trained model and an incremental version, inference
    and export jobs, the collaboration's views, the clean-up, and the waiters
    of the new resources (their options from the Get or List request)."""
    m = ["--membership-identifier", MEMBERSHIP]
    output = {"destination": {"s3Destination": {"s3Uri": "s3://bucket/ml/"}}, "roleArn": ROLE}
    assert cli.run("put-ml-configuration", *m, "--default-output-location", json.dumps(output)).stdout == ""
    got = cli.json("get-ml-configuration", *m)
    assert got["membershipIdentifier"] == MEMBERSHIP and got["defaultOutputLocation"] == output, got

    training = {"imageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:1", "entrypoint": ["python3"],
                "arguments": ["train.py", "--epochs", "3"]}
    inference = {"imageUri": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/infer:1"}
    algo = cli.json("create-configured-model-algorithm", "--name", "recommender", "--role-arn", ROLE,
                    "--training-container-config", json.dumps(training),
                    "--inference-container-config", json.dumps(inference),
                    "--tags", '{"team":"ml"}')["configuredModelAlgorithmArn"]
    assert algo.startswith(f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:configured-model-algorithm/"), algo
    got = cli.json("get-configured-model-algorithm", "--configured-model-algorithm-arn", algo)
    assert got["name"] == "recommender" and got["trainingContainerConfig"] == training, got
    assert got["inferenceContainerConfig"] == inference and got["roleArn"] == ROLE, got
    privacy = {"policies": {"trainedModelExports": {"maxSize": {"unit": "GB", "value": 5.0},
                                                    "filesToExport": ["MODEL"]}}}
    assoc = cli.json("create-configured-model-algorithm-association", *m, "--configured-model-algorithm-arn", algo,
                     "--name", "recommender-here",
                     "--privacy-configuration", json.dumps(privacy))["configuredModelAlgorithmAssociationArn"]
    assert f":membership/{MEMBERSHIP}/configured-model-algorithm-association/" in assoc, assoc
    got = cli.json("get-collaboration-configured-model-algorithm-association", "--collaboration-identifier",
                   COLLABORATION, "--configured-model-algorithm-association-arn", assoc)
    assert got["configuredModelAlgorithmArn"] == algo and got["membershipIdentifier"] == MEMBERSHIP, got

    # ML input channels; the data source is a union, given as JSON.
    def channel_args(name, data_source):
        return ["create-ml-input-channel", *m, "--configured-model-algorithm-associations", assoc, "--name", name,
                "--retention-in-days", "30", "--input-channel", json.dumps({"dataSource": data_source,
                                                                            "roleArn": ROLE})]
    err = cli.run(*channel_args("typo", {"protectedQueryInput": {}}), expect=252).stderr
    assert ('Unknown parameter in inputChannel.dataSource: "protectedQueryInput", must be one of: '
            'protectedQueryInputParameters') in err, err
    err = cli.run(*channel_args("none", {}), expect=252).stderr
    assert "--input-channel (inputChannel.dataSource): exactly one member of the union must be set" in err, err
    query = {"protectedQueryInputParameters": {"sqlParameters": {"queryString": "SELECT user, item FROM events"},
                                               "resultFormat": "PARQUET"}}
    payer = {"computePayerAccountId": ACCOUNT}
    channel = cli.json(*channel_args("events", query), "--payer-configuration", json.dumps(payer))["mlInputChannelArn"]
    assert channel.startswith(f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:membership/{MEMBERSHIP}/ml-input-channel/")
    p = cli.run("wait", "ml-input-channel-active", "--ml-input-channel-arn", channel, *m, *FAST, "--debug")
    assert p.stdout == "" and "final status: ACTIVE" in p.stderr, p
    got = cli.json("get-ml-input-channel", "--ml-input-channel-arn", channel, *m)
    assert got["status"] == "ACTIVE" and got["inputChannel"]["dataSource"] == query, got
    assert got["payerConfiguration"] == payer and got["collaborationIdentifier"] == COLLABORATION, got
    assert got["configuredModelAlgorithmAssociations"] == [assoc] and got["retentionInDays"] == 30, got
    second = cli.json(*channel_args("clicks", query))["mlInputChannelArn"]
    cli.run("wait", "ml-input-channel-active", "--ml-input-channel-arn", second, *m, *FAST)

    # A trained model, then a second version trained from it under the same name.
    resources = {"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 20}
    created = cli.json("create-trained-model", *m, "--name", "recommender-v1",
                       "--configured-model-algorithm-association-arn", assoc,
                       "--resource-config", json.dumps(resources), "--hyperparameters", '{"epochs":"3"}',
                       "--data-channels", json.dumps([{"mlInputChannelArn": channel, "channelName": "train"}]),
                       "--ml-model-training-payer-account-id", ACCOUNT)
    assert list(created) == ["trainedModelArn"], created
    model = created["trainedModelArn"]
    cli.run("wait", "trained-model-active", "--trained-model-arn", model, *m, *FAST)
    got = cli.json("get-trained-model", "--trained-model-arn", model, *m)
    assert got["status"] == "ACTIVE" and got["resourceConfig"] == resources, got
    assert got["hyperparameters"] == {"epochs": "3"} and got["mlModelTrainingPayerAccountId"] == ACCOUNT, got
    assert got["trainingContainerImageDigest"].startswith("sha256:"), got
    incremental = {"membershipIdentifier": MEMBERSHIP, "name": "recommender-v1",
                   "configuredModelAlgorithmAssociationArn": assoc, "resourceConfig": resources,
                   "dataChannels": [{"mlInputChannelArn": second, "channelName": "more"}],
                   "incrementalTrainingDataChannels": [{"trainedModelArn": model, "channelName": "base"}]}
    created = cli.json("create-trained-model", "--cli-input-json", json.dumps(incremental))
    assert created["trainedModelArn"] == model and created["versionIdentifier"], created
    version = created["versionIdentifier"]
    cli.run("wait", "trained-model-active", "--trained-model-arn", model, *m, "--version-identifier", version, *FAST)
    p = cli.run("list-trained-model-versions", "--trained-model-arn", model, *m, "--page-size", "1", "--debug")
    versions = json.loads(p.stdout)["trainedModels"]  # every page, merged
    assert sorted(v.get("versionIdentifier", "") for v in versions) == sorted(["", version]), versions
    assert "ListTrainedModelVersions page 2" in p.stderr, p.stderr
    err = cli.run("get-trained-model", "--trained-model-arn", model, "--membership-identifier", OTHER_MEMBERSHIP,
                  expect=254).stderr
    assert "(ResourceNotFoundException) when calling the GetTrainedModel operation" in err, err

    # Inference with the base version.
    job = cli.json("start-trained-model-inference-job", *m, "--name", "scores", "--trained-model-arn", model,
                   "--resource-config", '{"instanceType":"ml.m5.xlarge","instanceCount":1}',
                   "--output-configuration", json.dumps({"accept": "text/csv", "members": [{"accountId": ACCOUNT}]}),
                   "--data-source", json.dumps({"mlInputChannelArn": channel}))["trainedModelInferenceJobArn"]
    cli.run("wait", "trained-model-inference-job-active", "--trained-model-inference-job-arn", job, *m, *FAST)
    got = cli.json("get-trained-model-inference-job", "--trained-model-inference-job-arn", job, *m)
    assert got["status"] == "ACTIVE" and got["trainedModelArn"] == model, got
    assert got["configuredModelAlgorithmAssociationArn"] == assoc and got["dataSource"]["mlInputChannelArn"] == channel
    jobs = cli.json("list-trained-model-inference-jobs", *m)["trainedModelInferenceJobs"]
    assert [j["trainedModelInferenceJobArn"] for j in jobs] == [job], jobs
    err = cli.run("cancel-trained-model-inference-job", "--trained-model-inference-job-arn", job, *m,
                  expect=254).stderr
    assert re.fullmatch(r"\nAn error occurred \(ConflictException\) when calling the CancelTrainedModelInferenceJob "
                        r"operation: .+\n", err), repr(err)

    # An export job, started by the receiving member (the other membership);
    # it has no Get: its waiter finds it by name in the collaboration's listing.
    cli.run("start-trained-model-export-job", "--membership-identifier", OTHER_MEMBERSHIP, "--trained-model-arn",
            model, "--name", "to-them", "--output-configuration",
            json.dumps({"members": [{"accountId": OTHER_ACCOUNT}]}))
    listing = ["--collaboration-identifier", COLLABORATION, "--trained-model-arn", model]
    p = cli.run("wait", "trained-model-export-job-active", *listing, "--name", "to-them", *FAST, "--debug")
    assert p.stdout == "" and "final status: ACTIVE" in p.stderr, p
    jobs = cli.json("list-collaboration-trained-model-export-jobs", *listing)["collaborationTrainedModelExportJobs"]
    assert [(j["name"], j["status"], j["membershipIdentifier"]) for j in jobs] == [
        ("to-them", "ACTIVE", OTHER_MEMBERSHIP)], jobs
    err = cli.run("wait", "trained-model-export-job-active", *listing, "--name", "nobody", "--max-wait", "0.3",
                  expect=255).stderr
    assert re.fullmatch(r"\nWaiter TrainedModelExportJobActive failed: Max wait time exceeded: .*'nobody'.*\n",
                        err), repr(err)
    err = cli.run("wait", "trained-model-export-job-active", *listing, expect=252).stderr
    assert "the following arguments are required: --name" in err, err
    err = cli.run("wait", "trained-model-export-job-active", *listing, "--name", "to-them", "--max-results", "5",
                  expect=252).stderr
    assert "Unknown options: --max-results" in err, err
    err = cli.run("wait", "trained-model-active", "--trained-model-arn", model, expect=252).stderr
    assert "the following arguments are required: --membership-identifier" in err, err

    # The collaboration's views, every page merged, or --max-items and resume.
    p = cli.run("list-collaboration-ml-input-channels", "--collaboration-identifier", COLLABORATION,
                "--page-size", "1", "--debug")
    listed = json.loads(p.stdout)["collaborationMLInputChannelsList"]
    assert [c["mlInputChannelArn"] for c in listed] == [channel, second], listed
    assert all(c["creatorAccountId"] == ACCOUNT and c["status"] == "ACTIVE" for c in listed), listed
    assert "ListCollaborationMLInputChannels page 2" in p.stderr, p.stderr
    first = cli.json("list-collaboration-ml-input-channels", "--collaboration-identifier", COLLABORATION,
                     "--max-items", "1")
    assert len(first["collaborationMLInputChannelsList"]) == 1 and first["NextToken"], first
    rest = cli.json("list-collaboration-ml-input-channels", "--collaboration-identifier", COLLABORATION,
                    "--starting-token", first["NextToken"])
    assert [c["mlInputChannelArn"] for c in rest["collaborationMLInputChannelsList"]] == [second], rest
    models = cli.json("list-collaboration-trained-models", "--collaboration-identifier", COLLABORATION)
    assert [t["trainedModelArn"] for t in models["collaborationTrainedModels"]] == [model], models
    err = cli.run("list-trained-models", "--membership-identifier", "3e3b0000-0000-4000-8000-0000000000ff",
                  expect=254).stderr
    assert "(AccessDeniedException) when calling the ListTrainedModels operation" in err, err

    # Clean up: outputs and data go INACTIVE (their records stay; the
    # deleted waiters count that as done), then the rest goes.
    err = cli.run("delete-configured-model-algorithm-association", *m,
                  "--configured-model-algorithm-association-arn", assoc, expect=254).stderr
    assert "(ConflictException)" in err, err
    cli.run("delete-trained-model-output", "--trained-model-arn", model, *m, "--version-identifier", version)
    cli.run("delete-trained-model-output", "--trained-model-arn", model, *m)
    cli.run("wait", "trained-model-deleted", "--trained-model-arn", model, *m, "--version-identifier", version, *FAST)
    assert cli.json("get-trained-model", "--trained-model-arn", model, *m)["status"] == "INACTIVE"
    err = cli.run("wait", "trained-model-active", "--trained-model-arn", model, *m, *FAST, expect=255).stderr
    assert re.fullmatch(r"\nWaiter TrainedModelActive failed: Waiter encountered a terminal failure state: "
                        r".+INACTIVE.+\n", err), repr(err)
    for c in (channel, second):
        cli.run("delete-ml-input-channel-data", "--ml-input-channel-arn", c, *m)
        cli.run("wait", "ml-input-channel-deleted", "--ml-input-channel-arn", c, *m, *FAST)
        assert cli.json("get-ml-input-channel", "--ml-input-channel-arn", c, *m)["status"] == "INACTIVE"
    cli.run("delete-configured-model-algorithm-association", *m, "--configured-model-algorithm-association-arn", assoc)
    cli.run("delete-configured-model-algorithm", "--configured-model-algorithm-arn", algo)
    assert cli.json("list-configured-model-algorithms") == {"configuredModelAlgorithms": []}
    cli.run("delete-ml-configuration", *m)
    err = cli.run("get-ml-configuration", *m, expect=254).stderr
    assert "(ResourceNotFoundException) when calling the GetMLConfiguration operation" in err, err


def main(cli_exe, emulator_exe):
    with Emulator(emulator_exe, "--access-key-id", KEY, "--secret-access-key", SECRET, "--region", REGION,
                  "--lifecycle-delay-ms", "20", "--quiet", "--collaboration",
                  f"{COLLABORATION}={MEMBERSHIP},{OTHER_MEMBERSHIP}:{OTHER_ACCOUNT}") as emulator:
        with tempfile.TemporaryDirectory() as tmp:
            cli = Cli(cli_exe, emulator.url, tmp)
            test_help(cli)
            test_names_against_botocore(cli, tmp)
            dataset = test_create_get(cli, tmp)
            test_pagination(cli)
            test_errors(cli, tmp)
            test_profile(cli, tmp)
            model = test_tags_and_types(cli, dataset)
            test_waiters(cli, model)
            test_custom_models(cli)
    print("cli: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
