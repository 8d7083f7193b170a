"""Names in quoted text: the replacement rule and the candidates a researcher reviews."""

from __future__ import annotations

from focuscode.domain.deidentify import Deidentifier, name_parts
from focuscode.pipeline.person_names import NameCandidates

SPEAKERS = [("Dr. Anand Shah", "Physician 1", ["DR. SHAH"]),
            ("Maria Santos", "Caregiver 2", []),
            ("Grace Liu", "Patient 5", []),
            ("Maria Lopez", "Patient 11", [])]


def test_names_become_pseudonyms_or_placeholders() -> None:
    replace = Deidentifier.build(SPEAKERS, others=["Rosa"])
    assert name_parts("Dr. Anand Shah") == ["Anand", "Shah"]
    assert replace("like Dr. Shah said") == "like Physician 1 said"
    assert replace("DR. SHAH: hello, Anand") == "Physician 1: hello, Physician 1"
    assert replace("I'm Santos, by grace of God. Grace?") == \
        "I'm Caregiver 2, by grace of God. Patient 5?"
    assert replace("Maria said so") == "[name] said so"  # two speakers are Maria
    assert replace("Maria Santos and Maria Lopez") == "Caregiver 2 and Patient 11"
    assert replace("her name is Rosa, Rosa's the one. Rosalind stays") == \
        "her name is [name], [name]'s the one. Rosalind stays"
    assert Deidentifier()("Rosa") == "Rosa"
    assert not replace.keeps_word("shah") and replace.keeps_word("pharmacy")


def test_candidates_are_capitalised_words_never_said_in_lower_case() -> None:
    texts = ["Nadia Petrov: My son Alex is 16. We went to Google for answers, Alex and me.",
             "Grace Liu: Amazing grace. There's a woman in my group, Diane, she has it.",
             "Tom: Okay. So Boston was cold. When it's Diane, nothing."]
    found = NameCandidates().fit(texts, known=["Nadia Petrov", "Grace Liu", "Tom"]).candidates_
    names = [c.name for c in found]
    assert names[:2] == ["Alex", "Diane"]  # said after a cue, and most often
    assert {"Google", "Boston"} <= set(names)  # places and brands too: the researcher drops them
    assert not {"Nadia", "Grace", "Okay", "So", "There", "Amazing", "When"} & set(names)
    alex = found[0]
    assert alex.n == 2 and alex.cued and "My son Alex" in alex.example
