"""Attacks found by the independent review of issue 11, each played against the library.

Each one got through the first version of the new ``share``; each must fail now.
"""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htcds_learn import privacy as pv

K = 11


# --- keys a person chose, in any script -------------------------------------------------------

PASSPHRASES = [
    "мой секретный пароль на 2024 год!",  # Cyrillic: bytes outside ASCII, 20+ distinct
    "كلمة السر الخاصة بالمنظمة ٢٠٢٤",
    "รหัสผ่านของศูนย์พักพิง 2024",
    "Contraseña de la organización 2024",
]


@pytest.mark.parametrize("phrase", PASSPHRASES)
def test_a_passphrase_in_any_script_is_refused(phrase, core):
    key = phrase.encode("utf-8")
    assert len(key) >= 32
    with pytest.raises(pv.SharingError, match="chosen by a person"):
        pv.check_key(key)
    with pytest.raises(pv.SharingError, match="chosen by a person"):
        pv.share(core.head(200), purpose="research", key=key)


def test_a_dictionary_word_with_one_odd_byte_is_refused():
    """Sixteen distinct bytes and one non-printable one passed the first check."""
    for key in (b"password12345678password1234567\x00", b"letmein!" * 3 + b"\xff" * 8):
        with pytest.raises(pv.SharingError, match="chosen by a person"):
            pv.check_key(key)


@settings(max_examples=40, deadline=None)
@given(st.text(st.characters(categories=["L", "M", "N", "P", "S"], include_characters=" "),
               min_size=32, max_size=60))
def test_any_typed_text_is_refused_as_a_key(text):
    key = text.encode("utf-8")
    with pytest.raises(pv.SharingError):
        pv.check_key(key)


def test_keys_the_package_makes_are_always_accepted_and_unguessable(core):
    keys = [pv.new_key() for _ in range(2000)]
    for key in keys:
        pv.check_key(key)
    assert len(set(keys)) == len(keys)
    release = pv.share(core.head(400), purpose="research", key=keys[0])
    people = (core["case_id"] + "|" + core["person_id"]).head(400)
    guesses = [p.encode() for p in PASSPHRASES]
    tried = {"P-" + hmac.new(g, p.encode(), hashlib.sha256).hexdigest()[:16]
             for g in guesses for p in people}
    assert not tried & set(release.table["pseudonym"])


# --- a partner that changes the spelling of its name -----------------------------------------

@pytest.mark.parametrize("spelling", ["university", " UNIVERSITY ", "Univérsity"])
def test_a_new_spelling_of_the_recipient_does_not_escape_the_ledger(core, tmp_path, spelling):
    cases = core.head(1200)
    ledger = pv.Ledger(tmp_path / "ledger.json")
    pv.share(cases.iloc[:-1], purpose="ctdc", recipient="University",
             ledger=ledger).write(tmp_path / "first")
    with pytest.raises(pv.SharingError, match="isolates fewer than 11 people"):
        pv.share(cases, purpose="ctdc", recipient=spelling, ledger=ledger)


# --- --force aimed at a folder that is not a release -----------------------------------------

def test_force_replaces_an_earlier_release_but_never_a_folder_of_other_files(core, tmp_path,
                                                                               capsys):
    from htcds_learn.cli import main

    data = tmp_path / "cases.csv"
    core.head(600).to_csv(data, index=False)
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "contract.docx").write_bytes(b"someone's work")

    def share(out, *extra):
        return main(["share", str(data), "--purpose", "research", "--recipient", "University",
                     "--ledger", str(tmp_path / "ledger.json"), "--out", str(out), *extra])

    assert share(documents, "--force") == 2
    assert "not an earlier release" in capsys.readouterr().err
    assert sorted(p.name for p in documents.iterdir()) == ["contract.docx"]
    assert (documents / "contract.docx").read_bytes() == b"someone's work"

    release = tmp_path / "release"
    assert share(release) == 0
    assert share(release, "--force") == 0  # an earlier release may be replaced
    assert (release / "release-report.md").exists()
