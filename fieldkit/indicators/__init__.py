"""fieldkit.indicators"""
