"""trm-web's PyTorch side: the TRM model, the model file, training and evaluation."""
