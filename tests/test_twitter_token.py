"""The syndication token: JavaScript's base-36 form of id / 1e15 * pi, zeros and dot removed."""

import json
import math
import random
import shutil
import struct
import subprocess

import pytest

from archiver.fetch.twitter.token import js_number_to_radix, syndication_token

# yt-dlp PR #12107 and further vectors (docs/endpoints.md §2.2), each confirmed with Node.
VECTORS = {
    "1874097816571961839": "4jjngwkifa",
    "1674700676612386816": "42586mwa3uv",
    "1877747914073620506": "4jv4aahw36n",
    "1876710769913450647": "4jruzjz5lux",
    "1346554693649113090": "39ibqxei7mo",
    "20": "6dq1a2xwd93",
    "1641086480675225601": "3z7miaszni8",
    "1703436713362870723": "44ni5iyte19",
    "1641895049427550208": "3za5ye2w3ov",
}
NODE = shutil.which("node")


@pytest.mark.parametrize("post_id, token", VECTORS.items())
def test_every_reference_vector(post_id, token):
    assert syndication_token(post_id) == token


# Printed by Node 20: `(value).toString(radix)`.
@pytest.mark.parametrize(
    "value, radix, expected",
    [
        (0.5, 2, "0.1"),
        (255.0, 16, "ff"),
        (-255.5, 16, "-ff.8"),
        (0.0, 36, "0"),
        (35.0, 36, "z"),
        (1 / 3, 3, "0.1"),
        (2.0**60, 2, "1" + "0" * 60),
        (1e21, 36, "5v1j4f4ds7c000"),  # above 2**53: V8 fills unrepresented digits with zeros
        (math.pi, 36, "3.53i5ab8p5f"),  # digits stop at the precision of a double
    ],
)
def test_js_number_to_radix_matches_v8_on_known_values(value, radix, expected):
    assert js_number_to_radix(value, radix) == expected


@pytest.mark.parametrize("bad", ["", "12a", "-5", "1.5", "1" * 41, " 20", "２０"])
def test_a_post_id_must_be_ascii_digits(bad):
    with pytest.raises(ValueError):
        syndication_token(bad)


@pytest.mark.parametrize("value, radix", [(math.inf, 36), (math.nan, 36), (1.0, 10), (1.0, 37)])
def test_values_and_radixes_javascript_would_not_format_this_way(value, radix):
    with pytest.raises(ValueError):
        js_number_to_radix(value, radix)


def _node(script: str, data: object) -> object:
    done = subprocess.run(
        [NODE, "-e", script], input=json.dumps(data), capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_two_thousand_random_ids_match_node():
    rng = random.Random(20220226)
    ids = [str(rng.randrange(29700859247, 2**63)) for _ in range(1800)]
    ids += [str(rng.randrange(1, 10 ** rng.randrange(1, 12))) for _ in range(200)]
    script = """
    const ids = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    console.log(JSON.stringify(ids.map(
      id => ((Number(id) / 1e15) * Math.PI).toString(6 ** 2).replace(/(0+|\\.)/g, ''))));
    """
    expected = _node(script, ids)
    assert [syndication_token(i) for i in ids] == expected


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_random_doubles_in_every_radix_match_node():
    rng = random.Random(36)
    values = []
    while len(values) < 2000:
        value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(value):
            values.append([value, rng.choice([2, 3, 7, 8, 16, 32, 36])])
    script = """
    const pairs = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    console.log(JSON.stringify(pairs.map(([v, r]) => v.toString(r))));
    """
    expected = _node(script, values)
    assert [js_number_to_radix(v, r) for v, r in values] == expected
