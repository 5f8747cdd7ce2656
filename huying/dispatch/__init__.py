"""智能派单: text normalisation and the domain classifier that suggests where a message goes."""
