"""What every email the service sends shares."""


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (line breaks too) made one space: an email
    header may not hold a line break (Django refuses it, ``BadHeaderError``), and a
    subject made from a name someone typed or imported may have one."""
    return " ".join(text.split())
