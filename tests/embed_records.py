"""What the tests of the compiled twins compare of a record made in C and its reference's: all a
caller can see of it (its type, its fields, its hash and its repr)."""

from dataclasses import astuple


def record(embed):
    return (type(embed), astuple(embed), hash(embed), repr(embed))


def records(embeds):
    return [record(embed) for embed in embeds]
