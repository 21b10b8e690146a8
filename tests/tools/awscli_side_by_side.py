#!/usr/bin/env python3
"""cleanroomsml-cli and the AWS CLI v2 side by side against the standalone
emulator: the same command lines, the same stdout, the same exit status and
the same first line of stderr (issue 22: scripts written for
`aws cleanroomsml` run unchanged with cleanroomsml-cli).

The AWS CLI learns the service from the project's model copy through
AWS_DATA_PATH (service, paginators and endpoint rules; `aws configure
add-model` would install the service model alone, and the pagination tokens
compared here need the paginators). Both CLIs run with an empty HOME and the
same keys, region and endpoint.

What must differ is normalised, and only that:
  - argparse's usage block names the program ("usage: aws [options] <command>
    <subcommand> ..."): the first line compared is the one after that block,
    with "aws: error:" and "cleanroomsml-cli: error:" both read "PROG: error:";
  - a resource each CLI creates has its own id: create's output is compared
    with the UUIDs replaced; everything that reads resources reads the same
    ones with both CLIs, so their outputs (timestamps included) must be equal
    byte for byte.

usage: awscli_side_by_side.py PATH/TO/cleanroomsml-cli PATH/TO/cleanroomsml-emulator
Exits 77 (meson's "skipped") when the AWS CLI v2 is not installed."""

import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_custom_models import Emulator, write_data_path  # noqa: E402
from cli_test_support import closed_port, merged_env, stalled_servers  # noqa: E402

KEY, SECRET, REGION, ACCOUNT = "AKIDSIDEBYSIDE", "side/by/side/secret", "us-east-1", "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml"
DATA = [{"type": "INTERACTIONS", "inputConfig": {
    "dataSource": {"glueDataSource": {"databaseName": "db", "tableName": "events"}},
    "schema": [{"columnName": "user", "columnTypes": ["USER_ID"]},
               {"columnName": "item", "columnTypes": ["ITEM_ID"]},
               {"columnName": "ts", "columnTypes": ["TIMESTAMP"]}]}}]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def find_aws_cli_v2():
    """The AWS CLI v2: $AWS_CLI_V2, Debian's /usr/bin/aws, or `aws` on PATH, whichever is version 2."""
    for candidate in (os.environ.get("AWS_CLI_V2"), "/usr/bin/aws", shutil.which("aws")):
        if not candidate or not os.access(candidate, os.X_OK):
            continue
        try:
            version = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=60).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        if version.startswith("aws-cli/2."):
            return candidate, version.split()[0]
    return None, None


def first_line(stderr):
    """The first line of an error, past argparse's usage block, the program's name made neutral."""
    lines = stderr.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].startswith("usage: "):
        i += 1
        while i < len(lines) and lines[i].strip():  # "To see help text, you can run:"
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
        while i < len(lines) and lines[i].startswith("  "):  # the help commands
            i += 1
        while i < len(lines) and not lines[i].strip():
            i += 1
    line = lines[i] if i < len(lines) else ""
    return re.sub(r"^(aws|cleanroomsml-cli): error:", "PROG: error:", line)


class SideBySide:
    def __init__(self, ours, aws, url, tmp):
        self.ours, self.aws, self.url = ours, aws, url
        home = os.path.join(tmp, "home")
        os.makedirs(home, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        self.env.update(HOME=home, AWS_DATA_PATH=write_data_path(os.path.join(tmp, "models")),
                        AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION=REGION,
                        AWS_CONFIG_FILE=os.path.join(home, "no-config"),
                        AWS_SHARED_CREDENTIALS_FILE=os.path.join(home, "no-credentials"),
                        AWS_EC2_METADATA_DISABLED="true", AWS_PAGER="")
        self.compared = 0

    def run_both(self, args, env=None, endpoint=True):
        e = merged_env(self.env, env)
        extra = ["--endpoint-url", self.url] if endpoint else []
        results = []
        for cmd in ([self.ours] + list(args) + extra, [self.aws, "cleanroomsml"] + list(args) + extra):
            p = subprocess.run(cmd, env=e, capture_output=True, text=True, timeout=120)
            results.append(p)
        return results

    def same(self, *args, env=None, endpoint=True, expect=0, normalise=None):
        """Runs both; their stdout, exit status and first line of stderr must be equal. Returns our stdout."""
        ours, theirs = self.run_both(args, env, endpoint)
        self.compared += 1
        what = " ".join(args)
        out_ours, out_theirs = ours.stdout, theirs.stdout
        if normalise:
            out_ours, out_theirs = normalise(out_ours), normalise(out_theirs)
        assert theirs.returncode == expect, \
            f"{what}: the AWS CLI exited {theirs.returncode}, expected {expect}: {theirs.stderr[-2000:]}"
        assert ours.returncode == theirs.returncode, \
            f"{what}: exit {ours.returncode}, the AWS CLI's {theirs.returncode}\nours: {ours.stderr[-2000:]}"
        assert out_ours == out_theirs, f"{what}: stdout differs\n--- ours\n{out_ours}\n--- aws\n{out_theirs}"
        assert first_line(ours.stderr) == first_line(theirs.stderr), \
            f"{what}: stderr differs\n--- ours\n{ours.stderr}\n--- aws\n{theirs.stderr}"
        if expect:
            assert first_line(ours.stderr), f"{what}: no error message"
        return ours.stdout

    def all_same(self, cases):
        """same() for independent (args, keywords) cases, a few at a time: the AWS CLI's start-up
        (about half a second of CPU each) is most of this test's time."""
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = [pool.submit(self.same, *args, **kw) for args, kw in cases]
            return [f.result() for f in futures]

    def aws_json(self, *args):
        p = subprocess.run([self.aws, "cleanroomsml", *args, "--endpoint-url", self.url], env=self.env,
                           capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, p.stderr
        return json.loads(p.stdout)


def without_ids(text):
    return UUID.sub("<uuid>", text)


def resources(s):
    """create / get / list / tag / untag, with the options as JSON and as shorthand."""
    created = s.same("create-training-dataset", "--name", "side-by-side", "--role-arn", ROLE,
                     "--training-data", json.dumps(DATA), "--tags", "team=ads,env=prod", normalise=without_ids)
    assert "trainingDatasetArn" in created, created
    for i in range(5):
        s.same("create-training-dataset", "--name", f"page-{i}", "--role-arn", ROLE, "--training-data",
               "type=INTERACTIONS,inputConfig={schema=[{columnName=user,columnTypes=[USER_ID]}],"
               "dataSource={glueDataSource={databaseName=db,tableName=t}}}", "--description", f"number {i}",
               normalise=without_ids)
    # From here on both CLIs read the same resources: byte for byte.
    arn = s.aws_json("list-training-datasets", "--query", "trainingDatasets[0].trainingDatasetArn")
    s.all_same([(args + ("--output", output), {})
                for output in ("json", "text", "table", "yaml", "yaml-stream")
                for args in (("get-training-dataset", "--training-dataset-arn", arn),
                             ("list-training-datasets", "--page-size", "4"),
                             ("list-tags-for-resource", "--resource-arn", arn))])
    s.same("tag-resource", "--resource-arn", arn, "--tags", '{"stage":"beta","owner":"ml"}')
    s.same("untag-resource", "--resource-arn", arn, "--tag-keys", "owner", "env")
    s.same("list-tags-for-resource", "--resource-arn", arn)
    return arn


def queries(s, arn):
    cases = [(("list-training-datasets", "--page-size", "2", "--query", query, "--output", output), {})
             for query in ("trainingDatasets[?starts_with(name, 'page-')].[name, status]",
                           "{names: sort(trainingDatasets[].name), count: length(trainingDatasets)}",
                           "max_by(trainingDatasets, &createTime).name", "nothing")
             for output in ("json", "text", "table", "yaml", "yaml-stream")]
    cases += [
        (("get-training-dataset", "--training-dataset-arn", arn, "--query", "trainingData[0].inputConfig.schema[*]",
          "--output", "text"), {}),
        (("list-training-datasets", "--max-items", "3", "--page-size", "2", "--query", "trainingDatasets[].name",
          "--output", "text"), {}),
        (("list-training-datasets", "--query", "foo["), {"expect": 252}),
        (("list-training-datasets", "--query", "length(`5`)"), {"expect": 255}),
    ]
    s.all_same(cases)


def tokens(s):
    """--max-items and --starting-token, tokens printed by either CLI given to both."""
    s.all_same([(("list-training-datasets",) + args, {})
                for args in (("--max-items", "2", "--page-size", "4"), ("--max-items", "4", "--page-size", "4"),
                             ("--max-items", "0"), ("--max-items", "-2", "--page-size", "3"), ("--max-items", "3"))])
    theirs = s.aws_json("list-training-datasets", "--max-items", "3", "--page-size", "2")["NextToken"]
    ours = json.loads(s.same("list-training-datasets", "--max-items", "3", "--page-size", "2"))["NextToken"]
    assert ours == theirs, (ours, theirs)
    for token in (theirs, ours):
        s.same("list-training-datasets", "--starting-token", token, "--query", "trainingDatasets[].name")
        s.same("list-training-datasets", "--starting-token", token, "--max-items", "2", "--page-size", "2")
    service = s.aws_json("list-training-datasets", "--max-results", "2")["nextToken"]
    # A bare service token, botocore's legacy TOKEN___INDEX, what is none of them.
    cases = [(("list-training-datasets", "--starting-token", token, "--query", "trainingDatasets[].name"),
              {"expect": code})
             for token, code in ((service, 0), (service + "___1", 0), ("None___2", 0), ("garbage", 254),
                                 ("a___b___c", 255), (base64.b64encode(b'{"nextToken": 5}').decode(), 252))]
    cases += [(("list-training-datasets", "--max-results", "2", "--query", "[length(trainingDatasets), nextToken]"), {}),
              (("list-training-datasets", "--max-results", "2", "--max-items", "1"), {"expect": 252}),
              (("list-training-datasets", "--no-paginate", "--page-size", "2", "--starting-token", "x"), {"expect": 252}),
              (("list-training-datasets", "--no-paginate", "--max-items", "0"), {"expect": 252}),
              (("list-training-datasets", "--max-items", "two"), {"expect": 252})]
    s.all_same(cases)


def skeletons(s, arn):
    s.all_same([((command, "--generate-cli-skeleton") + extra, {})
                for command in ("create-training-dataset", "create-configured-audience-model", "list-training-datasets")
                for extra in ((), ("input", "--output", "yaml"))] + [
        (("list-tags-for-resource", "--resource-arn", arn, "--generate-cli-skeleton", "output"), {}),
        (("get-training-dataset", "--training-dataset-arn", arn, "--generate-cli-skeleton", "output"), {"expect": 252}),
        (("list-training-datasets", "--generate-cli-skeleton", "xml"), {"expect": 252})])


def errors(s, arn, tmp):
    missing = f"arn:aws:cleanrooms-ml:{REGION}:{ACCOUNT}:training-dataset/00000000-0000-0000-0000-000000000000"
    config = os.path.join(tmp, "config")
    with open(config, "w") as f:
        f.write("[default]\noutput = yaml\n[profile wire]\ncli_timestamp_format = wire\n"
                f"[profile keys]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    s.all_same([
        (("get-training-dataset", "--training-dataset-arn", missing), {"expect": 254}),
        # botocore's checks (252) and the service's (254, answered before sending by cleanroomsml-cli).
        (("list-training-datasets", "--page-size", "0"), {"expect": 252}),
        (("list-training-datasets", "--page-size", "500"), {"expect": 254}),
        (("create-training-dataset", "--name", "", "--role-arn", "short", "--training-data", "[]"), {"expect": 252}),
        (("create-training-dataset", "--cli-input-json", '{"roleArn": "x", "nme": 1}'), {"expect": 252}),
        (("create-training-dataset", "--name", "x" * 64, "--role-arn", ROLE, "--training-data", json.dumps(DATA)),
         {"expect": 254}),
        (("get-training-dataset", "--training-dataset-arn", ""), {"expect": 252}),
        (("tag-resource", "--resource-arn", arn, "--tags", "a=b,"), {"expect": 252}),
        (("get-training-dataset",), {"expect": 252}),
        (("get-trainig-dataset",), {"expect": 252}),
        (("get-training-dataset", "--training-dataset-arn", arn, "--max-items", "2"), {"expect": 252}),
        (("list-training-datasets", "--output", "jsn"), {"expect": 252}),
        (("list-training-datasets", "--color", "always"), {"expect": 252}),
        (("list-training-datasets", "--cli-binary-format", "raw"), {"expect": 252}),
        (("list-training-datasets", "--no-cli-pager", "--color", "off", "--cli-binary-format", "raw-in-base64-out",
          "--query", "length(trainingDatasets)"), {}),
        (("list-training-datasets",), {"env": {"AWS_DEFAULT_OUTPUT": "xml"}, "expect": 255}),
        # Configuration: no region (an empty HOME: no config file at all), no credentials, no profile.
        (("list-training-datasets",), {"env": {"AWS_DEFAULT_REGION": None, "AWS_CONFIG_FILE": None}, "expect": 253}),
        (("list-training-datasets",), {"env": {"AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None},
                                       "expect": 253}),
        (("list-training-datasets", "--profile", "nope"), {"expect": 255}),
        # Keys in the environment the service does not know, good keys in a profile: a --profile
        # wins over the environment, AWS_PROFILE does not.
        (("list-training-datasets", "--profile", "keys", "--query", "length(trainingDatasets)"),
         {"env": {"AWS_CONFIG_FILE": config, "AWS_ACCESS_KEY_ID": "AKIDWRONGWRONGWRONG1",
                  "AWS_SECRET_ACCESS_KEY": "wrong"}}),
        (("list-training-datasets",), {"env": {"AWS_CONFIG_FILE": config, "AWS_PROFILE": "keys",
                                               "AWS_ACCESS_KEY_ID": "AKIDWRONGWRONGWRONG1",
                                               "AWS_SECRET_ACCESS_KEY": "wrong"}, "expect": 254}),
        # Unsigned, and no credentials needed: the service's (the emulator's) refusal.
        (("list-training-datasets", "--no-sign-request"), {"env": {"AWS_ACCESS_KEY_ID": None,
                                                                   "AWS_SECRET_ACCESS_KEY": None}, "expect": 254}),
        (("get-training-dataset", "--training-dataset-arn", arn), {"env": {"AWS_CONFIG_FILE": config}}),
        (("get-training-dataset", "--training-dataset-arn", arn), {"env": {"AWS_CONFIG_FILE": config,
                                                                           "AWS_PROFILE": "wire"}}),
    ])
    # Connections: nothing listening, a server that never answers, one whose queue is full.
    port = closed_port()
    s.same("list-training-datasets", "--endpoint-url", f"http://127.0.0.1:{port}", "--max-results", "2",
           endpoint=False, expect=255)
    with stalled_servers() as (silent, full):
        s.same("list-training-datasets", "--endpoint-url", f"http://127.0.0.1:{silent}",
               "--cli-read-timeout", "1", endpoint=False, expect=255)
        s.same("list-training-datasets", "--endpoint-url", f"http://127.0.0.1:{full}",
               "--cli-connect-timeout", "1", endpoint=False, expect=255)


def deletes(s):
    arns = s.aws_json("list-training-datasets", "--query", "trainingDatasets[].trainingDatasetArn")
    # Each CLI deletes half; then both read what is left, and what is gone.
    for i, arn in enumerate(arns):
        cmd = [s.ours] if i % 2 else [s.aws, "cleanroomsml"]
        p = subprocess.run(cmd + ["delete-training-dataset", "--training-dataset-arn", arn, "--endpoint-url", s.url],
                           env=s.env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0 and p.stdout == "", (cmd, p.stdout, p.stderr)
    s.same("list-training-datasets")
    s.same("get-training-dataset", "--training-dataset-arn", arns[0], expect=254)
    s.same("delete-training-dataset", "--training-dataset-arn", arns[1], expect=254)


def main(cli_exe, emulator_exe):
    aws, version = find_aws_cli_v2()
    if not aws:
        print("the AWS CLI v2 is not installed (Debian: apt-get install awscli; or set AWS_CLI_V2): skipped")
        sys.exit(77)
    with Emulator(emulator_exe, "--access-key-id", KEY, "--secret-access-key", SECRET, "--region", REGION,
                  "--account-id", ACCOUNT, "--quiet") as emulator:
        with tempfile.TemporaryDirectory() as tmp:
            s = SideBySide(os.path.abspath(cli_exe), aws, emulator.url, tmp)
            arn = resources(s)
            queries(s, arn)
            tokens(s)
            skeletons(s, arn)
            errors(s, arn, tmp)
            deletes(s)
    print(f"awscli_side_by_side: {s.compared} command lines compared with {version}: same output, status and "
          "first error line")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
