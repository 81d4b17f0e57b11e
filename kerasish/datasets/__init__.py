"""`kerasish.datasets`: Keras's small datasets, same files, cache paths, arguments and arrays."""

from kerasish.datasets import (  # noqa: F401
    boston_housing, california_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters,
)
