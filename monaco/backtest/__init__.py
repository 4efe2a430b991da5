"""`monaco backtest`: how often new or changed alerts and every burn tier would have fired over a past range."""
