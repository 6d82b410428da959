"""A child's age judged against a jurisdiction's ages; plain Python, no Django.

``python -m safeguard.legal.ages 16 --work 15 --hazardous 18`` prints the findings.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass


@dataclass(frozen=True)
class Ages:
    majority: int | None = None
    minimum_work: int | None = None
    hazardous_work: int | None = None
    consent: int | None = None
    criminal_responsibility: int | None = None


@dataclass(frozen=True)
class Finding:
    code: str
    threshold: int


def judge(age: int, ages: Ages) -> list[Finding]:
    """What the law says about a person of ``age``, threshold by threshold (unknown ones are skipped).

    - ``minor``: under the age of majority;
    - ``below_work_age``: any work is child labour;
    - ``below_hazardous_age``: may work (at or above the working age) but not in hazardous work;
    - ``below_consent``: cannot consent to sexual acts, so any sexual exploitation is abuse;
    - ``below_criminal_responsibility``: cannot be prosecuted for what they were made to do.
    """
    findings: list[Finding] = []
    checks = (
        ("minor", ages.majority),
        ("below_work_age", ages.minimum_work),
        ("below_consent", ages.consent),
        ("below_criminal_responsibility", ages.criminal_responsibility),
    )
    for code, threshold in checks:
        if threshold is not None and age < threshold:
            findings.append(Finding(code, threshold))
    work_allowed = ages.minimum_work is None or age >= ages.minimum_work
    if ages.hazardous_work is not None and age < ages.hazardous_work and work_allowed:
        findings.append(Finding("below_hazardous_age", ages.hazardous_work))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("age", type=int)
    parser.add_argument("--majority", type=int)
    parser.add_argument("--work", type=int)
    parser.add_argument("--hazardous", type=int)
    parser.add_argument("--consent", type=int)
    parser.add_argument("--criminal", type=int)
    args = parser.parse_args(argv)
    found = judge(args.age, Ages(args.majority, args.work, args.hazardous, args.consent, args.criminal))
    for finding in found:
        print(f"{finding.code} (threshold {finding.threshold})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
