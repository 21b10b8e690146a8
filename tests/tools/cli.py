#!/usr/bin/env python3
"""cleanroomsml-cli against the standalone cleanroomsml-emulator: commands and
options derived from the model, JSON output, auto-pagination, waiters, and the
AWS CLI's error messages and exit codes.

usage: cli.py PATH/TO/cleanroomsml-cli PATH/TO/cleanroomsml-emulator"""

import json
import os
import re
import socket
import subprocess
import sys
import tempfile

KEY, SECRET, REGION, ACCOUNT = "AKIDCLI", "cli/secret", "us-east-1", "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml"
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


def test_help(cli):
    out = cli.run("help").stdout
    commands = re.findall(r"^  ([a-z-]+)$", out, re.M)
    assert len(commands) == 26 and "get-audience-model" in commands and "wait" in commands, commands
    assert "list-training-datasets" in commands and "untag-resource" in commands
    out = cli.run("create-training-dataset", "help").stdout
    assert re.search(r"--training-data <list of structure Dataset>\s+required", out), out
    assert re.search(r"--description <string>\s+optional", out), out
    assert "--audience-model-arn <string>" in cli.run("wait", "audience-model-active", "help").stdout
    assert cli.run("--version").stdout.startswith("cleanroomsml-cli/")
    cli.run(expect=252)  # no command: usage on stderr


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


def main(cli_exe, emulator_exe):
    server = subprocess.Popen([emulator_exe, "--port", "0", "--access-key-id", KEY, "--secret-access-key", SECRET,
                               "--region", REGION, "--lifecycle-delay-ms", "20", "--quiet"],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), f"unexpected first line {url!r}"
        with tempfile.TemporaryDirectory() as tmp:
            cli = Cli(cli_exe, url, tmp)
            test_help(cli)
            dataset = test_create_get(cli, tmp)
            test_pagination(cli)
            test_errors(cli, tmp)
            test_profile(cli, tmp)
            model = test_tags_and_types(cli, dataset)
            test_waiters(cli, model)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("cli: all checks passed")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
