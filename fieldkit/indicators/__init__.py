"""fieldkit.indicators: the community DNA framework as data, and the scoring behind summaries.

framework  load_framework / validate_framework (forms/framework.md or a coordinator's file)
coordinator  a coordinator's framework saved in the project settings (`fieldkit framework set`)
scoring    InterviewRecord -> per-interview indicator scores
aggregate  summarise(records, framework, networks=..., rounds=...) -> Summary
blend      interview + network components; network_parts(site network) via mapping.metrics
summary    the Summary data structure; Summary.to_dict() is `fieldkit summary --json`
stats      Student's t quantile and intervals without scipy
tables     reading the framework file (pyxform markdown tables or .xlsx) into rows
"""

from fieldkit.indicators.aggregate import summarise
from fieldkit.indicators.blend import NetworkParts, network_parts, site_network_parts
from fieldkit.indicators.distributions import item_distributions
from fieldkit.indicators.framework import Framework, load_framework, validate_framework
from fieldkit.indicators.scoring import InterviewRecord, respondent_sector, score_interview
from fieldkit.indicators.summary import Summary

__all__ = [
    "Framework",
    "InterviewRecord",
    "NetworkParts",
    "Summary",
    "item_distributions",
    "load_framework",
    "network_parts",
    "respondent_sector",
    "score_interview",
    "site_network_parts",
    "summarise",
    "validate_framework",
]
