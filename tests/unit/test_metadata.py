"""Title, source, date and url guessed from the text; front matter wins."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.metadata import (
    find_date,
    first_sentence,
    guess_metadata,
    guess_title,
    is_noise_line,
)
from reader.seeds import seed_files
from reader.text.normalize import normalize
from reader.text.sanitize import shorten


def seed_text(prefix: str) -> str:
    path = next(p for p in seed_files() if p.name.startswith(prefix))
    return normalize(path.read_text(encoding="utf-8")).strip()


# -- the seeds (the acceptance test of issue 2) ---------------------------------


def test_seed_000_title_is_its_first_line() -> None:
    meta = guess_metadata(seed_text("000"))
    assert meta.title == (
        "Microsoft’s Cloud Reign Ends as OpenAI Teams Up with $500 Billion Stargate Project!"
    )
    assert meta.published == "2025-01-22"  # its last line: "2025-01-22 19:39"


def test_seed_001_date_line_is_not_the_title() -> None:
    text = seed_text("001")
    meta = guess_metadata(text)
    assert meta.published == "2025-01-23"
    assert meta.source == "Live Mint"
    assert meta.title.startswith("Despite investing nearly $14 billion in OpenAI")
    assert meta.title.endswith("…") and len(meta.title) <= 101
    assert text.split("\n")[1].startswith(meta.title[:-1])  # cut at a word boundary


def test_seed_002_title() -> None:
    meta = guess_metadata(seed_text("002"))
    assert meta.title == "Microsoft and OpenAI: A Shift in Cloud Computing Partnership"


def test_seed_003_source_and_url_from_its_source_line() -> None:
    meta = guess_metadata(seed_text("003"))
    assert meta.source == "AutoGPT"
    assert meta.url == (
        "https://autogpt.net/openai-expands-cloud-partnerships-loosens-microsofts-exclusivity/"
    )
    assert meta.title.startswith("In a move that’s sure to send ripples through the tech industry")


def test_seed_004_skips_navigation_and_names_the_site() -> None:
    meta = guess_metadata(seed_text("004"))
    assert meta.title == "Microsoft Loses Exclusive Cloud Role for OpenAI"
    assert meta.source == "AiNews.com"  # not "ChatGPT-4o" of its "Image Source:" line


def test_guessing_never_changes_the_text() -> None:
    text = seed_text("004")
    before = str(text)
    guess_metadata(text)
    assert text == before


# -- titles -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("A Short Headline\n\nBody text follows here.", "A Short Headline"),
        ("Is This a Question?\nBody.", "Is This a Question?"),
        ("• Site.com\n  • News\n  • Real Headline Here\n\nReal Headline Here\n\nBody.", None),
        ("Home > World > Europe\nThe Headline\nBody.", "The Headline"),
        ("By Jane Doe\nThe Headline\nBody.", "The Headline"),
        ("Published: January 23, 2025 10:00 AM ET\nThe Headline\nBody.", "The Headline"),
        ("Short sentence with a period.\nMore.", "Short sentence with a period"),
        ("Mr. Smith went to Washington. Then he left.", "Mr. Smith went to Washington"),
        ("U.S. officials met on Tuesday. They agreed.", "U.S. officials met on Tuesday"),
    ],
)
def test_title_rules(text: str, title: str | None) -> None:
    expected = title or "Real Headline Here"
    assert guess_title(text) == expected


def test_long_first_line_gives_the_first_sentence_shortened() -> None:
    sentence = "The deal " + "and more " * 30 + "ends here."
    title = guess_title(sentence + " Another sentence.")
    assert title.endswith("…") and len(title) <= 101
    assert sentence.startswith(title[:-1]) and not title[:-1].endswith(" ")


def test_long_line_without_punctuation_is_shortened() -> None:
    title = guess_title("word " * 100)
    assert title == ("word " * 20).strip() + "…"


def test_text_of_only_navigation_falls_back_to_the_first_line() -> None:
    assert guess_title("• Menu\n• Home") == "Menu"


def test_fallback_title_when_no_words() -> None:
    assert guess_metadata("— — —\n\n* * *", fallback_title="file-name").title == "file-name"


def test_first_sentence_and_shorten() -> None:
    assert first_sentence("It cost $6.6 billion. Then more.") == "It cost $6.6 billion."
    assert first_sentence("Apple Inc. and Corp. stuff. Next one.") == "Apple Inc. and Corp. stuff."
    assert first_sentence("No end") == "No end"
    assert shorten("short", 100) == "short"
    assert shorten("alpha beta, gamma delta", 12) == "alpha beta…"


def test_noise_lines() -> None:
    for line in ["• AiNews.com", "  • Posts", "| Tech |", "2025-01-23 21:18:00 :", "AiNews.com"]:
        assert is_noise_line(line), line
    for line in ["Microsoft Loses Exclusive Cloud Role for OpenAI", "2025 in review"]:
        assert not is_noise_line(line), line


# -- dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Posted 2025-01-23 21:18", "2025-01-23"),
        ("on 2025/1/3", "2025-01-03"),
        ("January 23, 2025", "2025-01-23"),
        ("Jan. 23, 2025", "2025-01-23"),
        ("Thursday, Sept 4th 2025", "2025-09-04"),
        ("23 Jan 2025", "2025-01-23"),
        ("1st March, 2024", "2024-03-01"),
        ("2025-02-30 is invalid, but 2025-02-28 is fine", "2025-02-28"),
        ("version 1.2025.3 and 12345-01-01", None),
        ("in 2023 it grew", None),
    ],
)
def test_dates(text: str, iso: str | None) -> None:
    assert find_date(text) == iso


def test_the_first_date_wins() -> None:
    meta = guess_metadata("Headline\n\nOn 5 March 2024 it began.\n\nUpdated 2025-01-01")
    assert meta.published == "2024-03-05"


# -- source and url ---------------------------------------------------------------


def test_source_line_with_name_and_url() -> None:
    meta = guess_metadata("Title\n\nBody.\n\nSource: Reuters https://www.reuters.com/x/y")
    assert (meta.source, meta.url) == ("Reuters", "https://www.reuters.com/x/y")


def test_source_line_with_only_a_url_names_its_host() -> None:
    meta = guess_metadata("Title\nSource: https://www.example.org/story.\nBody.")
    assert (meta.source, meta.url) == ("example.org", "https://www.example.org/story")


def test_source_line_with_only_a_name() -> None:
    meta = guess_metadata("Title\n\nBody.\n\nSource: The Verge")
    assert (meta.source, meta.url) == ("The Verge", None)


def test_image_source_is_not_the_source() -> None:
    meta = guess_metadata("Title\n\nImage Source: Getty Images\n\nBody.")
    assert meta.source is None


def test_footer_and_copyright_name_the_outlet() -> None:
    assert guess_metadata("T\n\nBody.\n\n© 2024 Example News. All rights.").source == (
        "Example News"
    )
    footer = "T\n\nBody.\n\nRead the latest stories from The Daily Planet."
    assert guess_metadata(footer).source == "The Daily Planet"


def test_site_name_in_navigation_or_footer() -> None:
    assert guess_metadata("| techcrunch.com | AI\nA Headline\nBody.").source == "techcrunch.com"
    footer = "Headline\n\nBody.\n\nWrite to news@mail.example.com. More on Example.org"
    assert guess_metadata(footer).source == "Example.org"


def test_url_alone_on_an_edge_line() -> None:
    meta = guess_metadata("Headline\nhttps://news.example.com/a/b\n\nBody.")
    assert meta.url == "https://news.example.com/a/b"
    assert meta.source == "news.example.com"


def test_nothing_found_is_none() -> None:
    meta = guess_metadata("A Headline\n\nA body that names nothing at all.")
    assert (meta.source, meta.published, meta.url) == (None, None, None)


# -- front matter -------------------------------------------------------------------


def test_front_matter_wins() -> None:
    text = "Guessed Title\n\nSource: Guessed https://guessed.example\n\n2020-01-01"
    front = {
        "title": "  Given   title ",
        "source": "Given Source",
        "date": dt.date(2025, 1, 23),
        "url": "https://given.example/a",
    }
    meta = guess_metadata(text, front)
    assert meta.title == "Given title"
    assert (meta.source, meta.published, meta.url) == (
        "Given Source",
        "2025-01-23",
        "https://given.example/a",
    )


def test_front_matter_dates_and_partial_values() -> None:
    text = "Guessed Title\n\nBody."
    assert guess_metadata(text, {"date": dt.datetime(2024, 5, 6, 7, 8)}).published == "2024-05-06"
    assert guess_metadata(text, {"published": "May 6, 2024"}).published == "2024-05-06"
    meta = guess_metadata(text, {"title": "", "date": "soon"})
    assert meta.title == "Guessed Title" and meta.published is None
