#!/usr/bin/python3
"""Captures what the AWS CLI v2 prints for --generate-cli-skeleton, for every
command of the service, into input/ and output/ (see SOURCE.md).

    python3 tests/data/cli_skeleton/generate.py [/usr/bin/aws]

Needs Debian's awscli (its botocore is awscli.botocore, imported as botocore
once awscli is). No network: the skeletons come from the model alone, and
the output form answers from a stub.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import awscli  # noqa: F401  (makes its botocore importable as botocore)
from botocore import xform_name
from botocore.model import ServiceModel

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, '..', '..', '..', 'codegen', 'model', 'service.json')
AWS = sys.argv[1] if len(sys.argv) > 1 else '/usr/bin/aws'


def valid_input(shape, skeleton):
    """The input skeleton with values the AWS CLI's own checks accept (it
    checks types and minimums, no patterns), for the output form, which runs
    the command against a stub."""
    t = shape.type_name
    if t == 'structure':
        return {k: valid_input(shape.members[k], v) for k, v in skeleton.items()}
    if t == 'list':
        return [valid_input(shape.member, v) for v in skeleton]
    if t == 'map':
        return {k: valid_input(shape.value, v) for k, v in skeleton.items()}
    if t == 'string':
        return skeleton if shape.enum else 'arn:aws:cleanrooms-ml:us-east-1:123456789012:x/' + 'a' * 40
    if t in ('integer', 'long'):
        return int(shape.metadata.get('min', 1))
    if t in ('double', 'float'):
        return float(shape.metadata.get('min', 1))
    return skeleton


def main():
    with open(MODEL) as f:
        model = ServiceModel(json.load(f), 'cleanroomsml')
    data = tempfile.mkdtemp()
    try:
        target = os.path.join(data, 'cleanroomsml', '2023-09-06')
        os.makedirs(target)
        shutil.copy(MODEL, os.path.join(target, 'service-2.json'))
        env = dict(os.environ, AWS_DATA_PATH=data, AWS_DEFAULT_REGION='us-east-1', AWS_ACCESS_KEY_ID='a',
                   AWS_SECRET_ACCESS_KEY='b', AWS_PAGER='')
        for d in ('input', 'output'):
            os.makedirs(os.path.join(HERE, d), exist_ok=True)
        for op in sorted(model.operation_names):
            name = xform_name(op, '-')
            p = subprocess.run([AWS, 'cleanroomsml', name, '--generate-cli-skeleton'], env=env,
                               capture_output=True, check=True)
            with open(os.path.join(HERE, 'input', name + '.json'), 'wb') as f:
                f.write(p.stdout)
            request = valid_input(model.operation_model(op).input_shape, json.loads(p.stdout))
            path = os.path.join(data, name + '.json')
            with open(path, 'w') as f:
                json.dump(request, f)
            p = subprocess.run([AWS, 'cleanroomsml', name, '--cli-input-json', 'file://' + path,
                                '--generate-cli-skeleton', 'output'], env=env, capture_output=True)
            if p.returncode == 0:
                out, data_ = 'stdout', p.stdout
            elif p.returncode == 252 and not p.stdout:
                out, data_ = 'stderr', p.stderr
            else:
                sys.exit('%s: exit %d\n%s' % (name, p.returncode, p.stderr.decode()))
            with open(os.path.join(HERE, 'output', name + '.' + out), 'wb') as f:
                f.write(data_)
    finally:
        shutil.rmtree(data)


if __name__ == '__main__':
    main()
