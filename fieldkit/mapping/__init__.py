"""fieldkit.mapping"""
