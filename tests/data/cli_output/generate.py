#!/usr/bin/python3
"""Regenerates the expected outputs under tests/data/cli_output/ with the AWS CLI's
own formatters (Debian's aws-cli 2.9.19, /usr/lib/python3/dist-packages/awscli).
See SOURCE.md. Run it with /usr/bin/python3, the interpreter /usr/bin/aws uses.

    /usr/bin/python3 tests/data/cli_output/generate.py            # all cases
    /usr/bin/python3 tests/data/cli_output/generate.py CASE...    # some cases
    /usr/bin/python3 tests/data/cli_output/generate.py --tables   # C++ Unicode tables

Each case is a directory holding input.json:
    {"title": "ListTrainingDatasets", "value": ...,
     "formats": [...]?, "color": true?, "widths": [40, 120]?}
  -> json.out text.out table.out yaml.out yaml-stream.out (those in "formats"),
     table-color.out (--color on), table-wN.out (a terminal N columns wide)
or a paginated response:
    {"title": ..., "pages": [...], "result_keys": [...], "resume_token": "..."?}
  -> text.out and yaml-stream.out, printed page by page by the same formatters.
A formatter that raises leaves FORMAT.err, the message the AWS CLI prints (on
stderr, between newlines, exit status 255), beside FORMAT.out, what it printed
on stdout before that (often nothing).
"""
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios

HERE = os.path.dirname(os.path.abspath(__file__))
FORMATS = ['json', 'text', 'table', 'yaml', 'yaml-stream']


def child(case_dir, fmt, color):
    # What clidriver does: build the formatter (with --color on, colorama wraps
    # sys.stdout here), then hand it sys.stdout. The value goes through a
    # --query of 'v' so that any JSON value can be the printed document.
    import argparse
    import jmespath
    from awscli.formatter import get_formatter
    with open(os.path.join(case_dir, 'input.json'), encoding='utf-8') as f:
        case = json.load(f)
    if 'pages' in case:
        from botocore.paginate import PageIterator

        class Pages(PageIterator):
            def __init__(self, pages, result_keys, resume_token):
                self._pages = pages
                self._result_keys = [jmespath.compile(k) for k in result_keys]
                self._non_aggregate_part = {}
                self._token = resume_token

            def __iter__(self):
                return iter(self._pages)

            @property
            def resume_token(self):
                return self._token

        response = Pages(case['pages'], case['result_keys'], case.get('resume_token'))
        args = argparse.Namespace(query=None, color=color)
    else:
        response = {'v': case['value']}
        args = argparse.Namespace(query=jmespath.compile('v'), color=color)
    formatter = get_formatter(fmt, args)
    try:
        formatter(case['title'], response, sys.stdout)
    except Exception as e:  # clidriver prints str(e) and exits 255
        sys.stdout.flush()
        sys.stderr.write(str(e))
        sys.exit(3)


def run(case_dir, fmt, color, width, out_name):
    cmd = [sys.executable, os.path.abspath(__file__), '--child', case_dir, fmt, color]
    env = dict(os.environ, PYTHONUTF8='1', PYTHONHASHSEED='0')
    if width is None:  # stdout a file: the AWS CLI assumes 80 columns
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out, err, rc = p.stdout, p.stderr, p.returncode
    else:  # stdout a terminal of `width` columns, without output post-processing
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, width, 0, 0))
        attrs = termios.tcgetattr(slave)
        attrs[1] &= ~termios.OPOST
        termios.tcsetattr(slave, termios.TCSANOW, attrs)
        p = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        err = p.stderr.read()
        rc = p.wait()
        os.close(master)
        out = b''.join(chunks)
    base = os.path.join(case_dir, out_name)
    for stale in (base + '.out', base + '.err'):
        if os.path.exists(stale):
            os.remove(stale)
    if rc == 3:  # the message, and what was printed before it
        with open(base + '.err', 'wb') as f:
            f.write(err)
    if rc in (0, 3):
        with open(base + '.out', 'wb') as f:
            f.write(out)
    else:
        raise SystemExit('%s %s: exit %d\n%s' % (case_dir, out_name, rc, err.decode()))


def generate(case_dir):
    with open(os.path.join(case_dir, 'input.json'), encoding='utf-8') as f:
        case = json.load(f)
    if 'pages' in case:
        for fmt in ('text', 'yaml-stream'):
            run(case_dir, fmt, 'off', None, fmt)
        return
    for fmt in case.get('formats', FORMATS):
        run(case_dir, fmt, 'off', None, fmt)
    if case.get('color'):
        run(case_dir, 'table', 'on', None, 'table-color')
    for w in case.get('widths', []):
        run(case_dir, 'table', 'off', w, 'table-w%d' % w)


def ranges(pred):
    out, start = [], None
    for c in range(0x110000):
        if pred(c):
            if start is None:
                start = c
        elif start is not None:
            out.append((start, c - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


def tables():
    # Facts of Python's unicodedata (the AWS CLI's measure of text and its
    # str.upper()/repr()), printed as C++ for tools/cli/unicode_data.hpp.
    import unicodedata

    def emit(name, pairs):
        print('inline constexpr code_range %s[] = {' % name)
        line = '   '
        for a, b in pairs:
            item = ' {0x%X, 0x%X},' % (a, b)
            if len(line) + len(item) > 100:
                print(line)
                line = '   '
            line += item
        print(line)
        print('};')
    print('// Python %s, Unicode %s' % (sys.version.split()[0], unicodedata.unidata_version))
    emit('wide_chars', ranges(lambda c: unicodedata.east_asian_width(chr(c)) in 'WFA'))
    emit('unprintable_chars', [(max(a, 0x80), b) for a, b in ranges(lambda c: not chr(c).isprintable()) if b >= 0x80])
    single, multi = [], []
    for c in range(0x110000):
        u = chr(c).upper()
        if u != chr(c):
            (single if len(u) == 1 else multi).append((c, u))
    runs, i = [], 0
    while i < len(single):
        c, u = single[i]
        d = ord(u) - c
        j, stride = i, 1
        if i + 1 < len(single) and ord(single[i + 1][1]) - single[i + 1][0] == d and single[i + 1][0] - c in (1, 2):
            stride = single[i + 1][0] - c
            j = i + 1
            while (j + 1 < len(single) and ord(single[j + 1][1]) - single[j + 1][0] == d
                   and single[j + 1][0] - single[j][0] == stride):
                j += 1
        runs.append((c, single[j][0], stride, d))
        i = j + 1
    print('inline constexpr upper_run upper_runs[] = {')
    line = '   '
    for a, b, s, d in runs:
        item = ' {0x%X, 0x%X, %d, %d},' % (a, b, s, d)
        if len(line) + len(item) > 100:
            print(line)
            line = '   '
        line += item
    print(line)
    print('};')
    print('inline constexpr upper_special upper_specials[] = {')
    for c, u in multi:
        print('    {0x%X, "%s"},' % (c, ''.join('\\x%02X' % b for b in u.encode('utf-8'))))
    print('};')


def main():
    if len(sys.argv) > 1 and sys.argv[1] == '--child':
        child(*sys.argv[2:5])
        return
    if len(sys.argv) > 1 and sys.argv[1] == '--tables':
        tables()
        return
    names = sys.argv[1:] or sorted(
        d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, 'input.json')))
    for name in names:
        generate(os.path.join(HERE, name))
        print(name)


if __name__ == '__main__':
    main()
