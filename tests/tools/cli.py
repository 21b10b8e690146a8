#!/usr/bin/env python3
"""cleanroomsml-cli against the standalone cleanroomsml-emulator: commands and
options derived from the model (named as the AWS CLI names them: botocore's
xform_name), JSON output, auto-pagination, waiters, the AWS CLI's error
messages and exit codes, and the custom-model workflow with the waiters of its
resources.

usage: cli.py PATH/TO/cleanroomsml-cli PATH/TO/cleanroomsml-emulator"""

import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_custom_models import Emulator, write_data_path  # noqa: E402
from cli_test_support import closed_port, merged_env, stalled_servers  # noqa: E402

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
        e = merged_env(self.env, env)
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
    assert len(commands) == 61 and "get-audience-model" in commands and "wait" in commands, commands
    assert "completion" in commands, commands
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
    assert commands == sorted(xform_name(op, "-") for op in model.operation_names) + ["wait", "completion"], commands
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
    # Timestamps as the AWS CLI prints them: Python's isoformat(), microseconds at most.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?\+00:00", got["createTime"]), got["createTime"]

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
    # Every page, merged; --page-size is the page size.
    p = cli.run("list-training-datasets", "--page-size", "2", "--debug")
    doc = json.loads(p.stdout)
    names = [d["name"] for d in doc["trainingDatasets"]]
    assert len(names) == total and len(set(names)) == total, names
    assert "nextToken" not in doc and "NextToken" not in doc, doc
    assert "ListTrainingDatasets page 4" in p.stderr, p.stderr

    # One page only, with the service's token; it continues where it stopped. The
    # request's own --max-results or --next-token turns pagination off, as --no-paginate does.
    one = cli.json("list-training-datasets", "--max-results", "2", "--no-paginate")
    assert len(one["trainingDatasets"]) == 2 and one["nextToken"], one
    two = cli.json("list-training-datasets", "--max-results", "2", "--next-token", one["nextToken"])
    assert [d["name"] for d in two["trainingDatasets"]] == names[2:4] and two["nextToken"], two

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

    # An integer option is int()'s, whose ValueError the AWS CLI does not catch: exit 255.
    err = cli.run("list-training-datasets", "--max-results", "abc", expect=255).stderr
    assert err == "\ninvalid literal for int() with base 10: 'abc'\n", repr(err)
    # Over the model's maximum: botocore does not check maximums, the service answers; this CLI
    # checks before sending and answers as the service would (exit 254).
    err = cli.run("list-training-datasets", "--max-results", "500", expect=254).stderr
    assert err == ("\nAn error occurred (ValidationException) when calling the ListTrainingDatasets operation: "
                   "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: value 500 is "
                   "above the maximum of 100\n"), repr(err)
    # Under the minimum: botocore's check, exit 252.
    err = cli.run("list-training-datasets", "--max-results", "0", expect=252).stderr
    assert err == ("\nParameter validation failed:\nInvalid value for parameter maxResults, value: 0, valid min "
                   "value: 1\n"), repr(err)
    err = cli.run("get-training-dataset", expect=252).stderr
    assert "the following arguments are required: --training-dataset-arn" in err, err
    err = cli.run("get-training-dataset", "--training-dataset-arn", unknown, "--bogus", "1", expect=252).stderr
    assert "Unknown options: --bogus" in err, err
    err = cli.run("create-training-dataset", "--name", "x", "--role-arn", ROLE,
                  "--training-data", '[{"type":"INTERACTIONS"}]', expect=252).stderr
    assert 'Missing required parameter in trainingData[0]: "inputConfig"' in err, err
    err = cli.run("create-training-dataset", "--name", "x", "--role-arn", ROLE,
                  "--training-data", "[{", expect=252).stderr
    assert err == ("\nError parsing parameter '--training-data': Invalid JSON: Expecting property name enclosed in "
                   "double quotes: line 1 column 3 (char 2)\nJSON received: [{\n"), repr(err)
    err = cli.run("create-training-dataset", "--cli-input-json", '{"nme":"x"}', expect=252).stderr
    assert 'Unknown parameter in input: "nme"' in err, err
    err = cli.run("get-trainig-dataset", expect=252).stderr
    assert err.startswith("\nusage: cleanroomsml-cli [options] <command> [parameters]\n"), err
    assert "\ncleanroomsml-cli: error: argument operation: Invalid choice, valid choices are:\n\n" \
           "cancel-trained-model                     | cancel-trained-model-inference-job      \n" in err, err
    assert err.endswith("\n\n\nInvalid choice: 'get-trainig-dataset', maybe you meant:\n\n  * get-training-dataset\n"
                        "  * delete-training-dataset\n  * create-training-dataset\n\n"), err
    # Paging options on a command that has none are unknown options.
    err = cli.run("get-training-dataset", "--training-dataset-arn", unknown, "--max-items", "2", expect=252).stderr
    assert err.endswith("\n\nUnknown options: --max-items, 2\n\n"), err

    # Configuration: no region, no credentials, an unknown profile.
    err = cli.run("list-audience-models", env={"AWS_REGION": None}, expect=253).stderr
    assert err == ('\nYou must specify a region. You can also configure your region by running "aws configure".\n'), \
        repr(err)
    err = cli.run("list-audience-models", env={"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
                  expect=253).stderr
    assert err.startswith('\nUnable to locate credentials. You can configure credentials by running '
                          '"aws configure".\n'), repr(err)
    err = cli.run("--profile", "nope", "list-audience-models", expect=255).stderr
    assert err == "\nThe config profile (nope) could not be found\n", repr(err)

    # Nothing listens there.
    port = closed_port()
    # The URL as botocore names it: the endpoint, the request's path and query.
    err = cli.run("--endpoint-url", f"http://127.0.0.1:{port}", "list-audience-models", "--max-results", "3",
                  endpoint=False, expect=255).stderr
    assert err == f'\nCould not connect to the endpoint URL: "http://127.0.0.1:{port}/audience-model?maxResults=3"\n', \
        repr(err)

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
    # Keys in the environment that the emulator does not know: --profile wins over them (as in
    # botocore), AWS_PROFILE does not.
    wrong = dict(env, AWS_ACCESS_KEY_ID="AKIDWRONGWRONGWRONG1", AWS_SECRET_ACCESS_KEY="wrong")
    assert "audienceModels" in cli.json("--profile", "dev", "list-audience-models", env=wrong)
    err = cli.run("list-audience-models", env=dict(wrong, AWS_PROFILE="dev"), expect=254).stderr
    assert "An error occurred (UnrecognizedClientException)" in err, err


def test_tags_and_types(cli, dataset):
    cli.run("tag-resource", "--resource-arn", dataset, "--tags", '{"a":"1","b":"2","c":"3"}')
    # A list of strings: several values (a repeated option keeps its last), or a JSON array.
    cli.run("untag-resource", "--resource-arn", dataset, "--tag-keys", "c", "--tag-keys", "a", "b")
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"] == {"c": "3", "team": "growth"}
    cli.run("untag-resource", "--resource-arn", dataset, "--tag-keys", '["c"]')
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"] == {"team": "growth"}

    # Timestamps: a date, or epoch seconds.
    model = cli.json("create-audience-model", "--name", "model", "--training-dataset-arn", dataset,
                     "--training-data-start-time", "2024-01-01",
                     "--training-data-end-time", "1717200000")["audienceModelArn"]
    got = cli.json("get-audience-model", "--audience-model-arn", model)
    assert got["trainingDataStartTime"] == "2024-01-01T00:00:00+00:00", got
    assert got["trainingDataEndTime"] == "2024-06-01T00:00:00+00:00", got
    err = cli.run("create-audience-model", "--name", "m", "--training-dataset-arn", dataset,
                  "--training-data-start-time", "yesterday", expect=252).stderr
    assert err == ("\nParameter validation failed:\nInvalid type for parameter trainingDataStartTime, value: "
                   "yesterday, type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string\n"), repr(err)
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
    assert err == ("\nParameter validation failed:\nInvalid length for parameter audienceModelArn, value: 10, "
                   "valid min length: 20\n"), repr(err)
    err = cli.run("wait", "audience-model-actve", expect=252).stderr
    assert "error: argument waiter_name: Invalid choice, valid choices are:" in err, err
    assert err.endswith("Invalid choice: 'audience-model-actve', maybe you meant:\n\n  * audience-model-active\n"
                        "  * trained-model-active\n\n"), err


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
    assert err == ("\nParameter validation failed:\nMust set one of the following keys for tagged unionstructure "
                   "inputChannel.dataSource: protectedQueryInputParameters.\n"), repr(err)
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


# ---- Option values as the AWS CLI reads them: shorthand syntax, JSON, file:// and fileb://, and
# --generate-cli-skeleton (issue 22, parts 3 and 5). The expected texts are the AWS CLI 2.9.19's, run
# side by side against this emulator; tests/tools/shorthand.cpp tests the parts one by one.

SKELETONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "cli_skeleton")


def test_shorthand_and_files(cli, tmp, dataset):
    # Shorthand for a map, a list of structures (several words), nested structures and lists.
    cli.run("tag-resource", "--resource-arn", dataset, "--tags", "team=ads,env=prod,note='a,b'")
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"] == {
        "team": "ads", "env": "prod", "note": "a,b"}
    data = ("type=INTERACTIONS,inputConfig={schema=[{columnName=user,columnTypes=[USER_ID]},"
            "{columnName=item,columnTypes=[ITEM_ID]},{columnName=ts,columnTypes=TIMESTAMP}],"
            "dataSource={glueDataSource={databaseName=db,tableName=events}}}")
    arn = cli.json("create-training-dataset", "--name", "shorthand", "--role-arn", ROLE,
                   "--training-data", data)["trainingDatasetArn"]
    assert cli.json("get-training-dataset", "--training-dataset-arn", arn)["trainingData"] == DATA

    # Malformed shorthand: the AWS CLI's message and caret, exit 252.
    err = cli.run("tag-resource", "--resource-arn", dataset, "--tags", "a=b,", expect=252).stderr
    assert err == ("\nError parsing parameter '--tags': Expected: '<second>', received: '<none>' for input:\n"
                   "a=b,\n    ^\n"), repr(err)
    err = cli.run("tag-resource", "--resource-arn", dataset, "--tags", "a=b,a=c", expect=252).stderr
    assert err == ("\nError parsing parameter '--tags': Second instance of key \"a\" encountered for input:\n"
                   "a=b,a=c\n    ^\nThis is often because there is a preceding \",\" instead of a space.\n"), repr(err)
    # Conversion by the member's type: int()'s own errors are exit 255; a single value where a list of
    # integers belongs stays a string, which validation refuses.
    job = ["start-audience-export-job", "--name", "n", "--audience-generation-job-arn",
           f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:audience-generation-job/00000000-0000-0000-0000-000000000000"]
    err = cli.run(*job, "--audience-size", "type=ABSOLUTE,value=abc", expect=255).stderr
    assert err == "\ninvalid literal for int() with base 10: 'abc'\n", repr(err)
    err = cli.run(*job, "--audience-size", "type=ABSOLUTE,value=5000", expect=254).stderr
    assert "(ResourceNotFoundException)" in err, err
    err = cli.run("create-configured-audience-model", "--name", "n", "--audience-model-arn",
                  f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:audience-model/00000000-0000-0000-0000-000000000000",
                  "--output-config", f"destination={{s3Destination={{s3Uri=s3://b/p}}}},roleArn={ROLE}",
                  "--shared-audience-metrics", "ALL", "--audience-size-config",
                  "audienceSizeType=ABSOLUTE,audienceSizeBins=1000", expect=252).stderr
    assert err == ("\nParameter validation failed:\nInvalid type for parameter audienceSizeConfig.audienceSizeBins[0], "
                   "value: 1000, type: <class 'str'>, valid types: <class 'int'>\n"), repr(err)

    # file:// for any value (text, line ends as Python reads them), fileb:// (bytes).
    tags = os.path.join(tmp, "tags.txt")
    with open(tags, "w") as f:
        f.write("from=file\n")
    cli.run("tag-resource", "--resource-arn", dataset, "--tags", "file://" + tags)
    assert cli.json("list-tags-for-resource", "--resource-arn", dataset)["tags"]["from"] == "file"
    missing = os.path.join(tmp, "missing.json")
    err = cli.run("tag-resource", "--resource-arn", dataset, "--tags", "file://" + missing, expect=252).stderr
    assert err == (f"\nError parsing parameter '--tags': Unable to load paramfile file://{missing}: [Errno 2] "
                   f"No such file or directory: '{missing}'\n"), repr(err)
    arn_file = os.path.join(tmp, "arn.txt")
    with open(arn_file, "w") as f:
        f.write(dataset)
    assert cli.json("list-tags-for-resource", "--resource-arn", "file://" + arn_file)["tags"]["from"] == "file"
    err = cli.run("list-tags-for-resource", "--resource-arn", "fileb://" + arn_file, expect=252).stderr
    assert err == (f"\nParameter validation failed:\nInvalid type for parameter resourceArn, value: b'{dataset}', "
                   "type: <class 'bytes'>, valid types: <class 'str'>\n"), repr(err)
    err = cli.run("tag-resource", "--resource-arn", dataset, "--tags", "fileb://" + tags, expect=255).stderr
    assert err == "\n'in <string>' requires string as left operand, not int\n", repr(err)
    err = cli.run("list-tags-for-resource", "--cli-input-json", "{bad", expect=252).stderr
    assert err == "\nError parsing parameter 'cli-input-json': Invalid JSON received.\n", repr(err)

    # --generate-cli-skeleton, byte for byte what the AWS CLI prints (tests/data/cli_skeleton/).
    for name in ("create-trained-model", "create-configured-audience-model", "start-trained-model-inference-job"):
        with open(os.path.join(SKELETONS, "input", name + ".json")) as f:
            assert cli.run(name, "--generate-cli-skeleton").stdout == f.read(), name
    with open(os.path.join(SKELETONS, "output", "list-tags-for-resource.stdout")) as f:
        assert cli.run("list-tags-for-resource", "--resource-arn", dataset,
                       "--generate-cli-skeleton", "output").stdout == f.read()
    with open(os.path.join(SKELETONS, "output", "get-training-dataset.stderr")) as f:
        assert cli.run("get-training-dataset", "--training-dataset-arn", dataset,
                       "--generate-cli-skeleton", "output", expect=252).stderr == f.read()


# ---- Integration (issue 22): --query, where --output comes from, the AWS CLI's pagination tokens,
# the global options, the first lines of configuration and connection errors, the exit codes of
# validation, shell completion. The expected texts are the AWS CLI 2.9.19's, run against this
# emulator (tests/tools/awscli_side_by_side.py compares the two CLIs directly).

def botocore_token(doc):
    """A token as botocore writes it: base64 of json.dumps()."""
    return base64.b64encode(json.dumps(doc).encode()).decode()


def test_query_and_output(cli, tmp):
    names = cli.json("list-training-datasets", "--query", "trainingDatasets[].name")
    assert len(names) >= 5 and all(isinstance(n, str) for n in names), names
    # Applied to the merged pages, functions included.
    assert cli.json("list-training-datasets", "--page-size", "2", "--query",
                    "sort(trainingDatasets[].name)") == sorted(names)
    assert cli.json("list-training-datasets", "--page-size", "2", "--query", "length(trainingDatasets)") == len(names)
    # A response's scalars, and what nothing matches.
    assert cli.run("list-training-datasets", "--query", "nothing").stdout == "null\n"
    # Compiled before anything is sent: a bad expression is a parameter error (252)...
    err = cli.run("list-training-datasets", "--query", "foo[", endpoint=False, expect=252).stderr
    assert err == '\nBad value for --query foo[: Invalid jmespath expression: Incomplete expression:\n"foo["\n     ^\n', \
        repr(err)
    # ...and a failure while searching is the AWS CLI's uncaught error (255).
    err = cli.run("list-training-datasets", "--query", "length(`5`)", expect=255).stderr
    assert err == ("\nIn function length(), invalid type for value: 5, expected one of: ['string', 'array', "
                   "'object'], received: \"number\"\n"), repr(err)

    # Paginated with --output text: printed page by page, --query applied to each page, then to the
    # {"NextToken": {"NextToken": ...}} record (which a --query usually turns into "None").
    query = ["--page-size", "2", "--max-items", "3", "--query", "trainingDatasets[].name"]
    assert cli.run("list-training-datasets", *query, "--output", "text").stdout == \
        f"{names[0]}\t{names[1]}\n{names[2]}\nNone\n"
    lines = cli.run("list-training-datasets", "--max-items", "1", "--output", "text").stdout.splitlines()
    assert lines[0].startswith("TRAININGDATASETS\t") and lines[1] == "NEXTTOKEN\t" + botocore_token(
        {"nextToken": None, "boto_truncate_amount": 1}), lines
    # yaml-stream: each page its own list document, the service's nextToken kept; no NextToken.
    assert cli.run("list-training-datasets", *query, "--output", "yaml-stream").stdout == \
        f"- - {names[0]}\n  - {names[1]}\n- - {names[2]}\n"
    # json, yaml and table: the merged pages.
    assert cli.run("list-training-datasets", *query, "--output", "yaml").stdout == \
        f"- {names[0]}\n- {names[1]}\n- {names[2]}\n"
    table = cli.run("list-training-datasets", "--max-items", "1", "--output", "table").stdout.splitlines()
    assert table[1].strip("| ") == "ListTrainingDatasets" and set(table[0]) == {"-"}, table
    assert any(line.startswith("|  NextToken") for line in table), table

    # Where the format comes from: --output, AWS_DEFAULT_OUTPUT, the profile's `output`, json.
    config = os.path.join(tmp, "output-config")
    with open(config, "w") as f:
        f.write("[default]\noutput = text\n[profile y]\noutput = yaml\n[profile bad]\noutput = bogus\n")
    q = ["list-training-datasets", "--max-items", "1", "--query", "trainingDatasets[0].name"]
    env = {"AWS_CONFIG_FILE": config}
    assert cli.run(*q, env=env).stdout == names[0] + "\nNone\n"  # text, page by page
    assert cli.run(*q, env=dict(env, AWS_PROFILE="y")).stdout == json.dumps(names[0]) + "\n"  # yaml: a scalar as JSON
    assert cli.run(*q, env=dict(env, AWS_DEFAULT_OUTPUT="json")).stdout == json.dumps(names[0]) + "\n"
    assert cli.run(*q, "--output", "json", env=dict(env, AWS_DEFAULT_OUTPUT="text")).stdout == \
        json.dumps(names[0]) + "\n"
    # A bad name from the environment or the profile fails as the AWS CLI fails (255, its words)...
    err = cli.run(*q, env=dict(env, AWS_PROFILE="bad"), expect=255).stderr
    assert err == "\nUnknown output type: bogus\n", repr(err)
    err = cli.run(*q, env={"AWS_DEFAULT_OUTPUT": "xml"}, expect=255).stderr
    assert err == "\nUnknown output type: xml\n", repr(err)
    # ...and on the command line, argparse's choices (252).
    err = cli.run(*q, "--output", "jsn", expect=252).stderr
    assert ("\ncleanroomsml-cli: error: argument --output: Invalid choice, valid choices are:\n\n"
            "json                                     | text                                    \n"
            "table                                    | yaml                                    \n"
            "yaml-stream                             \n\n\nInvalid choice: 'jsn', maybe you meant:\n\n  * json\n\n") \
        in err, repr(err)
    # cli_timestamp_format: iso8601 (the default) or wire.
    with open(config, "w") as f:
        f.write("[default]\ncli_timestamp_format = wire\n[profile bad]\ncli_timestamp_format = unix\n")
    ts = cli.json("list-training-datasets", "--max-items", "1", "--query", "trainingDatasets[0].createTime", env=env)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", ts), ts
    err = cli.run(*q, env=dict(env, AWS_PROFILE="bad"), expect=253).stderr
    assert err == '\nUnknown cli_timestamp_format value: unix, valid values are "wire" or "iso8601"\n', repr(err)


def test_tokens(cli):
    names = cli.json("list-training-datasets", "--query", "trainingDatasets[].name")
    n = len(names)
    # botocore's token: the input token that fetched the page and how far into it the output went...
    first = cli.json("list-training-datasets", "--page-size", "3", "--max-items", "2")
    assert first["NextToken"] == botocore_token({"nextToken": None, "boto_truncate_amount": 2}), first
    # ...or, at a page boundary, the service's next token alone.
    boundary = cli.json("list-training-datasets", "--page-size", "3", "--max-items", "3")
    service = cli.json("list-training-datasets", "--max-results", "3")["nextToken"]
    assert boundary["NextToken"] == botocore_token({"nextToken": service}), boundary
    # Inside a later page, after resuming: the page's token and the offset from the page's start.
    later = cli.json("list-training-datasets", "--page-size", "3", "--starting-token", first["NextToken"],
                     "--max-items", "2")
    assert [d["name"] for d in later["trainingDatasets"]] == names[2:4], later
    assert later["NextToken"] == botocore_token({"nextToken": service, "boto_truncate_amount": 1}), later
    rest = cli.json("list-training-datasets", "--starting-token", later["NextToken"], "--query",
                    "trainingDatasets[].name")
    assert rest == names[4:], rest
    # What --starting-token takes besides: a bare service token and the old TOKEN___INDEX form.
    assert cli.json("list-training-datasets", "--starting-token", service, "--query",
                    "trainingDatasets[].name") == names[3:]
    assert cli.json("list-training-datasets", "--starting-token", service + "___1", "--query",
                    "trainingDatasets[].name") == names[4:]
    assert cli.json("list-training-datasets", "--starting-token", "None___2", "--query",
                    "trainingDatasets[].name") == names[2:]
    err = cli.run("list-training-datasets", "--starting-token", "a___b___c", expect=255).stderr
    assert err == "\nBad starting token: a___b___c\n", repr(err)
    err = cli.run("list-training-datasets", "--starting-token", botocore_token({"nextToken": 5}), expect=252).stderr
    assert err == ("\nParameter validation failed:\nInvalid type for parameter nextToken, value: 5, type: "
                   "<class 'int'>, valid types: <class 'str'>\n"), repr(err)
    # --max-items 0 shows nothing and resumes where it started; negative counts are Python slices.
    zero = cli.json("list-training-datasets", "--max-items", "0")
    assert zero == {"trainingDatasets": [],
                    "NextToken": botocore_token({"nextToken": None, "boto_truncate_amount": 0})}, zero
    minus = cli.json("list-training-datasets", "--max-items", "-1", "--query", "trainingDatasets[].name")
    assert minus == names[:-1], minus
    # The paging options with --no-paginate, or with the request's own paging members.
    err = cli.run("list-training-datasets", "--no-paginate", "--page-size", "2", "--starting-token", "x",
                  expect=252).stderr
    assert err == "\nCannot specify --no-paginate along with pagination arguments: --starting-token, --page-size\n", \
        repr(err)
    err = cli.run("list-training-datasets", "--max-results", "2", "--max-items", "1", expect=252).stderr
    assert err == "\nCannot specify --no-paginate along with pagination arguments: --max-items\n", repr(err)
    err = cli.run("list-training-datasets", "--no-paginate", "--max-items", "0", expect=252).stderr
    assert err == ("\nParameter validation failed:\nUnknown parameter in input: \"PaginationConfig\", must be one "
                   "of: nextToken, maxResults\n"), repr(err)
    err = cli.run("list-training-datasets", "--max-items", "two", expect=252).stderr
    assert err.endswith("\ncleanroomsml-cli: error: argument --max-items: invalid int value: 'two'\n\n"), repr(err)
    assert n >= 5


def test_global_options(cli):
    base = ["list-training-datasets", "--max-items", "1", "--query", "length(trainingDatasets)"]
    # Accepted: output is never paged; no member of this service is a blob.
    assert cli.run(*base, "--no-cli-pager", "--cli-binary-format", "raw-in-base64-out", "--color", "off",
                   env={"AWS_PAGER": "less"}).stdout == "1\n"
    for option, value in (("--color", "always"), ("--cli-binary-format", "raw"),
                          ("--generate-cli-skeleton", "json")):
        err = cli.run(*base, option, value, expect=252).stderr
        assert f"\ncleanroomsml-cli: error: argument {option}: Invalid choice, valid choices are:\n" in err, err
    # --color on colours tables (ANSI), off and auto (stdout is no terminal here) do not.
    assert "\x1b[" in cli.run(*base[:3], "--output", "table", "--color", "on").stdout
    assert "\x1b[" not in cli.run(*base[:3], "--output", "table").stdout
    # Unsigned requests, with no credentials anywhere: sent without SigV4, so the emulator (as the
    # service) answers that the request carries no authentication.
    no_keys = {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_SESSION_TOKEN": None}
    err = cli.run(*base, "--no-sign-request", env=no_keys, expect=254).stderr
    assert err.startswith("\nAn error occurred (MissingAuthenticationTokenException) when calling the "
                          "ListTrainingDatasets operation: "), err
    err = cli.run(*base, env=no_keys, expect=253).stderr
    assert "Unable to locate credentials" in err, err
    # --generate-cli-skeleton input is JSON whatever --output and --query say.
    assert cli.json("list-training-datasets", "--generate-cli-skeleton", "--output", "text", "--query", "x") == \
        {"nextToken": "", "maxResults": 0}


def test_connection_errors(cli):
    # A server that never answers, and one whose queue is full (the connection never completes):
    # the AWS CLI's words, naming the request's URL.
    with stalled_servers() as (silent, full):
        port = silent
        err = cli.run("--endpoint-url", f"http://127.0.0.1:{port}", "list-audience-models", "--cli-read-timeout", "1",
                      endpoint=False, expect=255).stderr
        assert err == f'\nRead timeout on endpoint URL: "http://127.0.0.1:{port}/audience-model"\n', repr(err)
        port = full
        err = cli.run("--endpoint-url", f"http://127.0.0.1:{port}", "list-audience-models", "--cli-connect-timeout",
                      "1", endpoint=False, expect=255).stderr
        assert err == f'\nConnect timeout on endpoint URL: "http://127.0.0.1:{port}/audience-model"\n', repr(err)
        err = cli.run("--endpoint-url", f"http://127.0.0.1:{port}", "list-audience-models", "--cli-read-timeout", "x",
                      endpoint=False, expect=255).stderr
        assert err == "\ninvalid literal for int() with base 10: 'x'\n", repr(err)


def test_validation_exit_codes(cli):
    """What botocore checks before sending (types, required and unknown members, minimums): 252 and
    its report; the model's other constraints (maximums, patterns) the AWS CLI leaves to the service
    (ValidationException, 254): this CLI checks them before sending and answers the same way."""
    data = json.dumps(DATA)
    err = cli.run("create-training-dataset", "--name", "x", "--role-arn", "r" * 30, "--training-data", data,
                  expect=254).stderr
    assert err.startswith("\nAn error occurred (ValidationException) when calling the CreateTrainingDataset "
                          "operation: 1 validation error detected: Value at 'roleArn' failed to satisfy constraint: "), err
    err = cli.run("create-training-dataset", "--name", "x" * 64, "--role-arn", ROLE, "--training-data", data,
                  expect=254).stderr
    assert "Value at 'name' failed to satisfy constraint: length 64 is above the maximum of 63" in err, err
    err = cli.run("create-training-dataset", "--name", "", "--role-arn", "short", "--training-data", "[]",
                  expect=252).stderr
    assert err == ("\nParameter validation failed:\nInvalid length for parameter name, value: 0, valid min length: 1\n"
                   "Invalid length for parameter roleArn, value: 5, valid min length: 20\n"
                   "Invalid length for parameter trainingData, value: 0, valid min length: 1\n"), repr(err)
    err = cli.run("create-training-dataset", "--cli-input-json", '{"roleArn": "x"}', expect=252).stderr
    assert err == ('\nParameter validation failed:\nMissing required parameter in input: "name"\n'
                   'Missing required parameter in input: "trainingData"\n'
                   "Invalid length for parameter roleArn, value: 1, valid min length: 20\n"), repr(err)


def test_completion(cli, tmp):
    """The completion scripts: made from the CLI's tables; bash runs its function as completion
    would (COMP_WORDS, COMP_CWORD), zsh (where installed) checks the syntax."""
    script = os.path.join(tmp, "completion.bash")
    with open(script, "w") as f:
        f.write(cli.run("completion", "bash", endpoint=False).stdout)
    subprocess.run(["bash", "-n", script], check=True)
    cases = [
        (["get-audience-m"], ["get-audience-model"]),
        (["--output", "ya"], ["yaml", "yaml-stream"]),
        (["--region", "us-east-1", "list-training-datasets", "--max-"], ["--max-results", "--max-items"]),
        (["create-configured-audience-model", "--shared-audience-metrics", ""], ["ALL", "NONE"]),
        (["create-configured-audience-model", "--child-resource-tag-on-create-policy", "F"], ["FROM_PARENT_RESOURCE"]),
        (["wait", "audience-model-a"], ["audience-model-active"]),
        (["wait", "trained-model-export-job-active", "--na"], ["--name"]),
        (["start-audience-generation-job", "--include-seed"], ["--include-seed-in-output"]),
        (["get-audience-model", "--audience-model-arn", ""], []),
        (["--output", "=", "ta"], ["table"]),
        (["--color", ""], ["on", "off", "auto"]),
        (["completion", ""], ["bash", "zsh"]),
        (["--generate-cli-skeleton", "input", "list-training-dat"], ["list-training-datasets"]),
    ]
    program = ["for case in \"$@\"; do eval \"COMP_WORDS=($case)\"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1));",
               "COMPREPLY=(); _cleanroomsml_cli; echo \"${COMPREPLY[*]}\"; done"]
    words = [" ".join(["cleanroomsml-cli"] + [shlex.quote(w) for w in line]) for line, _ in cases]
    p = subprocess.run(["bash", "-c", f"source {shlex.quote(script)}; " + " ".join(program), "bash", *words],
                       capture_output=True, text=True, check=True)
    got = p.stdout.split("\n")
    for (line, expected), out in zip(cases, got):
        assert out.split() == expected, (line, out, expected)
    # Every command and waiter is offered.
    commands = re.findall(r"^  ([a-z-]+)$", cli.run("help", endpoint=False).stdout, re.M)
    p = subprocess.run(["bash", "-c", f"source {shlex.quote(script)}; COMP_WORDS=(cleanroomsml-cli ''); COMP_CWORD=1; "
                        "_cleanroomsml_cli; echo \"${COMPREPLY[*]}\""], capture_output=True, text=True, check=True)
    assert set(commands) <= set(p.stdout.split()), (commands, p.stdout)
    zsh_script = cli.run("completion", "zsh", endpoint=False).stdout
    assert zsh_script.startswith("#compdef cleanroomsml-cli\n") and "compadd" in zsh_script
    if shutil.which("zsh"):
        path = os.path.join(tmp, "_cleanroomsml-cli")
        with open(path, "w") as f:
            f.write(zsh_script)
        subprocess.run(["zsh", "-n", path], check=True)
        # zsh's own compadd filters by the prefix: a stand-in prints what it is given.
        program = (f"autoload -U compinit; compinit -u -D; source {shlex.quote(path)}; "
                   "compadd() { shift; print -r -- \"${(j: :)${(P)1}}\"; }; "
                   "for line in \"$@\"; do eval \"words=($line)\"; CURRENT=${#words}; _cleanroomsml_cli; done")
        p = subprocess.run(["zsh", "-f", "-c", program, "zsh", *words], capture_output=True, text=True, check=True,
                           env=dict(os.environ, HOME=tmp))
        for (line, expected), out in zip(cases, p.stdout.split("\n")):
            if "=" not in line:  # bash's split at "=" (zsh keeps --output=x one word)
                assert set(expected) <= set(out.split()), (line, out, expected)
    else:
        print("cli: zsh is not installed; its completion script was not checked by zsh")
    err = cli.run("completion", "fish", endpoint=False, expect=252).stderr
    assert "argument shell: Invalid choice, valid choices are:" in err, err


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
            test_shorthand_and_files(cli, tmp, dataset)
            test_query_and_output(cli, tmp)
            test_tokens(cli)
            test_global_options(cli)
            test_connection_errors(cli)
            test_validation_exit_codes(cli)
            test_completion(cli, tmp)
            test_waiters(cli, model)
            test_custom_models(cli)
    print("cli: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
