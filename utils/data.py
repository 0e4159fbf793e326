"""Offline-first data loaders: MNIST, CIFAR-10, two text corpora, ImageNet MobileNet, photos.

Everything lives in the Keras cache folder (``$KERAS_HOME``, default ``~/.keras``), laid out as
Keras lays it out (``datasets/``, ``models/``). Each loader reads the cached file itself, checks
what it read (shapes, dtypes, class counts or a checksum), and only when the file is absent
falls back to Keras' own download. When the file is missing and cannot be downloaded, or is
corrupt, it raises :class:`DataUnavailableError` naming the file, where it was expected and how
to get it. Argument mistakes are ``ValueError`` s, and a cache folder that cannot take a
download (read-only, or a file) is a :class:`KerasHomeError` (see :func:`check_keras_home`).

Why not call ``keras.datasets.mnist.load_data()`` directly? The course's offline copy of
``mnist.npz`` holds the exact MNIST arrays but its bytes differ from the file Keras hashes, so
Keras 3.15 would try to re-download it and delete the cached copy; and ``cifar10.npz`` is the
arrays Keras returns, not the original archive Keras looks for. Reading the cache here avoids
both (see ``data/README.md``).

>>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
>>> x_train.shape, x_train.dtype
((60000, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import warnings
from numbers import Integral
from pathlib import Path
from typing import NoReturn

import numpy as np

__all__ = [
    "DataUnavailableError",
    "KerasHomeError",
    "keras_home",
    "check_keras_home",
    "cached_path",
    "load_mnist",
    "load_cifar10",
    "CIFAR10_CLASSES",
    "load_fashion_mnist",
    "FASHION_MNIST_CLASSES",
    "load_denoising_images",
    "DENOISING_SETS",
    "load_text",
    "TEXTS",
    "imagenet_class_index",
    "imagenet_mobilenet",
    "sample_photos",
    "photo_path",
    "PHOTOS",
]

CIFAR10_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip

FASHION_MNIST_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
FASHION_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# file under datasets/fashion-mnist/ -> sha256 (../shared/data/MANIFEST.md; byte-identical to
# the files Keras downloads)
FASHION_MNIST_FILES = {
    "train-images-idx3-ubyte.gz":
        "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "train-labels-idx1-ubyte.gz":
        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "t10k-images-idx3-ubyte.gz":
        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
    "t10k-labels-idx1-ubyte.gz":
        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
}

# DnCNN's greyscale denoising sets, under datasets/denoising/<name>/ in the Keras cache:
# name -> (number of PNGs, allowed (height, width) sizes, digest of the folder: the sha256 of
# the lines "<sha256 of file>  <file name>" in name order, as `sha256sum * | sha256sum` prints)
DENOISING_SETS = {
    "Train400": (400, {(180, 180)},
                 "d9a4d048a6c132976302736b8659e9b8ee5489c8f5d5a90815324cd50e72ce0e"),
    "BSD68": (68, {(321, 481), (481, 321)},
              "7db47364c17c50e5bfad018afe5dd55a89a863134adcaedfff4bcec1347ad3cc"),
    "Set12": (12, {(256, 256), (512, 512)},
              "9882b0bb611c6b511fce0fffe533ce92db96202de165317304b409e6176ee5b9"),
}
DENOISING_SOURCE = (
    "These are DnCNN's test and training sets (https://github.com/cszn/DnCNN: testsets/BSD68, "
    "testsets/Set12, TrainingCodes/DnCNN_TrainingCodes_v1.0/data/Train400). With a network, "
    "clone that repository and copy the three folders into <KERAS_HOME>/datasets/denoising/; "
    "offline, copy the course's ../shared/data/images/. there. They are not downloaded "
    "automatically."
)

# Counts per class, read off the official data (and in ../shared/data/MANIFEST.md).
MNIST_TRAIN_COUNTS = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
MNIST_TEST_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)

# name -> (file under datasets/, download URL, sha256 of the file, description)
TEXTS = {
    "shakespeare": (
        "shakespeare.txt",
        "https://storage.googleapis.com/download.tensorflow.org/data/shakespeare.txt",
        "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed",
        "tiny Shakespeare, as the TensorFlow text-generation tutorial downloads it",
    ),
    "dom_casmurro": (
        "dom_casmurro_machado_de_assis_pg55752.txt",
        "https://www.gutenberg.org/cache/epub/55752/pg55752.txt",
        "80bb007b69bb42c2220417c2c71ef5d3e3f96364dc2f567f8395e432742ffeb9",
        "Dom Casmurro by Machado de Assis, Project Gutenberg eBook #55752",
    ),
}

CLASS_INDEX_FILE = "imagenet_class_index.json"

MOBILENET_URL = "https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/"
MOBILENET_SIZES = (128, 160, 192, 224)  # the input sizes Keras has ImageNet weights for
MOBILENET_MIN_SIZE = 32  # Keras' minimum input size for MobileNet
# Keras' warning when it loads the 224x224 weights for another input size (kept word for word).
MOBILENET_224_WARNING = (
    "`input_shape` is undefined or non-square, or `rows` is not in [128, 160, 192, 224]. "
    "Weights for input shape (224, 224) will be loaded as the default."
)

HOW_TO_GET = (
    "How to get it: on a machine with a network connection, run the loader once and Keras "
    "downloads it into that folder; offline, copy the course's data cache there "
    "(`cp -r ../shared/data/keras/. ~/.keras/` and the texts into `~/.keras/datasets/`) or "
    "point KERAS_HOME at a folder holding it. See data/README.md."
)


class DataUnavailableError(RuntimeError):
    """A data file is missing or corrupt and could not be downloaded."""


class KerasHomeError(RuntimeError):
    """The Keras cache folder cannot receive a download: it is read-only, a file, or absent."""


def keras_home() -> Path:
    """The Keras cache folder: ``$KERAS_HOME`` if set, else ``~/.keras``.

    Read from the environment at each call. (Keras itself reads ``KERAS_HOME`` once, when it is
    imported, and silently uses ``/tmp/.keras`` instead of a folder it cannot write to; the
    loaders here therefore read the files themselves and call :func:`check_keras_home` before
    any download.)
    """
    home = os.environ.get("KERAS_HOME")
    return Path(os.path.expanduser(home if home else os.path.join("~", ".keras")))


def _writable(folder: Path) -> bool:
    """Whether ``folder`` may be written, for the user running this and for the folder's intent.

    An ordinary user gets what Keras asks (``os.access``: permission bits, ACLs, read-only
    mounts). For root ``os.access`` says yes to every folder, even one made read-only with
    ``chmod -R a-w`` (a copy of a read-only share, say) that the same course run as an ordinary
    user could not use; so for root a folder with no write bit at all counts as read-only.
    Then a temporary file is created and removed, which catches what both miss.
    """
    try:
        info = folder.stat()
    except OSError:
        return False
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return False
    elif not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError:
        return False
    return True


def _usable_folder(folder: Path, role: str, home: Path) -> None:
    """Raise :class:`KerasHomeError` unless ``folder`` is a writable folder (made if absent)."""
    where = f"{role} {folder}"
    if folder.exists() and not folder.is_dir():
        raise KerasHomeError(
            f"{where} is a file, not a folder, so nothing can be cached in it. Fix: point "
            "KERAS_HOME at a folder (`export KERAS_HOME=~/keras_cache`), or move the file away."
        )
    if not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise KerasHomeError(
                f"{where} does not exist and cannot be created ({error}). Fix: create it "
                "somewhere writable and point KERAS_HOME at it "
                "(`mkdir -p ~/keras_cache && export KERAS_HOME=~/keras_cache`)."
            ) from error
    if not _writable(folder):
        raise KerasHomeError(
            f"{where} is not writable: a download could not be cached there (Keras would "
            "silently put it in a temporary folder such as /tmp/.keras instead, where this "
            f"course does not look). Fix: make it writable (`chmod -R u+w {home}`), or copy "
            f"it and point KERAS_HOME at the copy (`cp -r {home} ~/keras_cache && "
            "chmod -R u+w ~/keras_cache && export KERAS_HOME=~/keras_cache`)."
        )


def check_keras_home(subdir: str | None = None) -> Path:
    """The Keras cache folder, checked to be a writable folder (created if absent).

    Called by the loaders before they download anything (through Keras or not), so that a
    read-only ``KERAS_HOME``, or one that is a file, is reported as what it is, naming the folder
    and the fix, instead of Keras silently caching in a temporary folder and the loader then
    calling the data missing. ``subdir`` (``"datasets"`` or ``"models"``) is checked too.
    Reading an existing cache needs no writing, so a read-only cache that holds the files
    still works.

    >>> check_keras_home("models")  # doctest: +SKIP
    PosixPath('/home/me/.keras')
    """
    if subdir not in (None, "datasets", "models"):
        raise ValueError(f"subdir must be 'datasets' or 'models', got {subdir!r}")
    home = keras_home()
    role = "KERAS_HOME" if os.environ.get("KERAS_HOME") else "the Keras cache folder"
    _usable_folder(home, role, home)
    if subdir is not None:
        _usable_folder(home / subdir, f"the {subdir} folder of {role},", home)
    return home


def cached_path(name: str, subdir: str = "datasets") -> Path:
    """Where Keras caches ``name``: ``$KERAS_HOME/<subdir>/<name>``.

    >>> cached_path("mnist.npz").name
    'mnist.npz'
    """
    if subdir not in ("datasets", "models"):
        raise ValueError(f"subdir must be 'datasets' or 'models', got {subdir!r}")
    return keras_home() / subdir / name


def _unavailable(path: Path, problem: str, cause: BaseException | None = None) -> NoReturn:
    message = f"{path.name}: {problem} (expected at {path}). {HOW_TO_GET}"
    if cause is not None:
        message += f" [download attempt failed with: {type(cause).__name__}: {cause}]"
    raise DataUnavailableError(message) from cause


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_npz(path: Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    try:
        with np.load(path, allow_pickle=False) as arrays:
            return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
    except Exception as error:  # truncated zip, missing key, not an npz at all
        problem = f"the cached file is corrupt or incomplete ({error}); delete it and get it again"
        _unavailable(path, problem)
        raise  # unreachable, keeps type checkers happy


def _check_split(
    path: Path,
    name: str,
    images: np.ndarray,
    labels: np.ndarray,
    image_shape: tuple[int, ...],
    class_counts: tuple[int, ...],
) -> None:
    n = sum(class_counts)
    expected = (n, *image_shape)
    if images.shape != expected or images.dtype != np.uint8:
        _unavailable(
            path,
            f"{name} images have shape {images.shape} and dtype {images.dtype}, "
            f"expected {expected} uint8: the cached file is not the right data",
        )
    flat = labels.reshape(-1)
    if flat.shape != (n,):
        _unavailable(path, f"{name} labels have shape {labels.shape}, expected {n} labels")
    counts = tuple(int(c) for c in np.bincount(flat.astype(np.int64), minlength=10))
    if counts != class_counts:
        _unavailable(path, f"{name} class counts are {counts}, expected {class_counts}")


def load_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """MNIST as ``keras.datasets.mnist.load_data()`` returns it: uint8 images (N, 28, 28).

    Reads ``$KERAS_HOME/datasets/mnist.npz``; downloads through Keras when it is absent.

    >>> (x_train, y_train), (x_test, y_test) = load_mnist()  # doctest: +SKIP
    >>> x_train.shape, y_test[:3]
    ((60000, 28, 28), array([7, 2, 1], dtype=uint8))
    """
    path = cached_path("mnist.npz")
    if path.exists():
        data = _read_npz(path)
    else:
        data = _download(path, "mnist")
    (x_train, y_train), (x_test, y_test) = data
    _check_split(path, "MNIST train", x_train, y_train, (28, 28), MNIST_TRAIN_COUNTS)
    _check_split(path, "MNIST test", x_test, y_test, (28, 28), MNIST_TEST_COUNTS)
    return data


def load_cifar10() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """CIFAR-10 as ``keras.datasets.cifar10.load_data()`` returns it.

    uint8 images (N, 32, 32, 3) (channels first if Keras is set to ``channels_first``) and
    labels of shape (N, 1). Class names are in :data:`CIFAR10_CLASSES`.

    >>> (x_train, y_train), _ = load_cifar10()  # doctest: +SKIP
    >>> x_train.shape, CIFAR10_CLASSES[int(y_train[0, 0])]
    ((50000, 32, 32, 3), 'frog')
    """
    path = cached_path("cifar10.npz")
    if not path.exists():
        data = _download(path, "cifar10")
        channels_last = False  # Keras has already applied image_data_format
    else:
        data = _read_npz(path)
        channels_last = True
    (x_train, y_train), (x_test, y_test) = data
    import keras

    if keras.backend.image_data_format() == "channels_first":
        if channels_last:
            x_train, x_test = x_train.transpose(0, 3, 1, 2), x_test.transpose(0, 3, 1, 2)
        shape = (3, 32, 32)
    else:
        shape = (32, 32, 3)
    _check_split(path, "CIFAR-10 train", x_train, y_train, shape, (5000,) * 10)
    _check_split(path, "CIFAR-10 test", x_test, y_test, shape, (1000,) * 10)
    return (x_train, y_train), (x_test, y_test)


def _read_idx(path: Path, expected_shape: tuple[int, ...]) -> np.ndarray:
    """One gzipped IDX file (the format of MNIST and Fashion-MNIST) as a uint8 array."""
    import gzip

    try:
        with gzip.open(path, "rb") as handle:
            raw = handle.read()
    except Exception as error:  # truncated gzip, not gzip at all
        _unavailable(path, f"the cached file is corrupt or incomplete ({error}); delete it "
                     "and get it again")
    n_dims = raw[3] if len(raw) > 4 else 0
    header = 4 + 4 * n_dims
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(n_dims))
    if raw[:3] != b"\x00\x00\x08" or shape != expected_shape:
        _unavailable(path, f"the file holds shape {shape}, expected {expected_shape} uint8")
    array = np.frombuffer(raw, dtype=np.uint8, offset=header)
    if array.size != int(np.prod(expected_shape)):
        _unavailable(path, "the file is truncated; delete it and get it again")
    return array.reshape(expected_shape)


def load_fashion_mnist() -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST as ``keras.datasets.fashion_mnist.load_data()`` returns it.

    uint8 images (N, 28, 28) and uint8 labels; class names in :data:`FASHION_MNIST_CLASSES`.
    Reads the four files Keras caches under ``$KERAS_HOME/datasets/fashion-mnist/``, each
    checked against its sha256; downloads through Keras when any is absent.

    >>> (x_train, y_train), _ = load_fashion_mnist()  # doctest: +SKIP
    >>> x_train.shape, FASHION_MNIST_CLASSES[int(y_train[0])]
    ((60000, 28, 28), 'Ankle boot')
    """
    folder = keras_home() / "datasets" / "fashion-mnist"
    if not all((folder / name).exists() for name in FASHION_MNIST_FILES):
        first_missing = next(folder / n for n in FASHION_MNIST_FILES if not (folder / n).exists())
        import keras

        check_keras_home("datasets")
        try:
            keras.datasets.fashion_mnist.load_data()  # downloads the four files into the cache
        except Exception as error:
            _unavailable(first_missing, "Fashion-MNIST is not in the Keras cache and could not "
                         "be downloaded", error)
    for name, sha256 in FASHION_MNIST_FILES.items():
        if _sha256(folder / name) != sha256:
            _unavailable(folder / name, f"the cached file has the wrong sha256 (expected {sha256})")
    x_train = _read_idx(folder / "train-images-idx3-ubyte.gz", (60_000, 28, 28))
    y_train = _read_idx(folder / "train-labels-idx1-ubyte.gz", (60_000,))
    x_test = _read_idx(folder / "t10k-images-idx3-ubyte.gz", (10_000, 28, 28))
    y_test = _read_idx(folder / "t10k-labels-idx1-ubyte.gz", (10_000,))
    _check_split(folder / "train-labels-idx1-ubyte.gz", "Fashion-MNIST train", x_train, y_train,
                 (28, 28), (6000,) * 10)
    _check_split(folder / "t10k-labels-idx1-ubyte.gz", "Fashion-MNIST test", x_test, y_test,
                 (28, 28), (1000,) * 10)
    return (x_train, y_train), (x_test, y_test)


def load_denoising_images(name: str) -> list[np.ndarray]:
    """One of DnCNN's greyscale denoising sets: ``"Train400"``, ``"BSD68"`` or ``"Set12"``.

    A list of uint8 arrays (H, W) in file-name order, read from
    ``$KERAS_HOME/datasets/denoising/<name>/``; the folder's file count, every image's size and
    a digest of all its files are checked. These sets are never downloaded automatically: when
    one is missing, the error says where to get it.

    >>> images = load_denoising_images("BSD68")  # doctest: +SKIP
    >>> len(images), images[0].shape
    (68, (321, 481))
    """
    if name not in DENOISING_SETS:
        raise ValueError(f"unknown denoising set {name!r}: choose one of "
                         f"{', '.join(DENOISING_SETS)}")
    count, sizes, folder_digest = DENOISING_SETS[name]
    folder = keras_home() / "datasets" / "denoising" / name
    files = sorted(folder.glob("*.png")) if folder.is_dir() else []
    if len(files) != count:
        found = f"found {len(files)} PNG files" if folder.is_dir() else "the folder is missing"
        raise DataUnavailableError(f"{name}: {found}, expected {count} (in {folder}). "
                                   f"{DENOISING_SOURCE}")
    lines = "".join(f"{_sha256(path)}  {path.name}\n" for path in files)
    if hashlib.sha256(lines.encode()).hexdigest() != folder_digest:
        raise DataUnavailableError(f"{name}: the files in {folder} differ from the published "
                                   f"set (checksum mismatch). {DENOISING_SOURCE}")
    from PIL import Image

    images = []
    for path in files:
        with Image.open(path) as image:
            array = np.asarray(image.convert("L") if image.mode != "L" else image)
        if array.shape not in sizes:
            raise DataUnavailableError(f"{path.name}: size {array.shape}, expected one of "
                                       f"{sorted(sizes)} (in {folder}). {DENOISING_SOURCE}")
        images.append(array.copy())
    return images


def _download(path: Path, dataset: str):
    """Fall back to Keras' own loader (it downloads); turn its failure into a clear error."""
    import keras

    check_keras_home("datasets")
    loader = getattr(keras.datasets, dataset).load_data
    try:
        return loader()
    except Exception as error:  # offline: "URL fetch failure", DNS errors, ...
        problem = f"{dataset} is not in the Keras cache and could not be downloaded"
        _unavailable(path, problem, error)


def _strip_gutenberg(text: str) -> str:
    start = text.find("*** START OF")
    end = text.find("*** END OF")
    if start == -1 or end == -1 or end < start:
        raise ValueError("no Project Gutenberg START/END markers found")
    body = text[text.index("\n", start) + 1 : end].strip()
    if body.startswith("Produced by"):  # the transcribers' credit, part of Gutenberg's frame
        body = body.split("\n\n", 1)[1].strip()
    return body + "\n"


def load_text(name: str) -> str:
    """A text corpus, checked against its sha256: ``"shakespeare"`` or ``"dom_casmurro"``.

    *Dom Casmurro* is read with ``utf-8-sig`` (the file starts with a byte-order mark) and its
    Project Gutenberg header and licence are stripped; line endings become ``\\n``.

    >>> text = load_text("shakespeare")  # doctest: +SKIP
    >>> len(text), text[:14]
    (1115394, 'First Citizen:')
    """
    if name not in TEXTS:
        raise ValueError(f"unknown text {name!r}: choose one of {', '.join(TEXTS)}")
    filename, url, sha256, _ = TEXTS[name]
    path = cached_path(filename)
    if not path.exists():
        import keras

        home = check_keras_home("datasets")
        try:
            path = Path(keras.utils.get_file(filename, url, file_hash=sha256,
                                             cache_subdir="datasets", cache_dir=str(home)))
        except Exception as error:
            _unavailable(path, f"the text {name!r} is not in the Keras cache and could not be "
                         "downloaded", error)
    if _sha256(path) != sha256:
        _unavailable(path, f"the cached text {name!r} has the wrong sha256 (expected {sha256})")
    with open(path, encoding="utf-8-sig") as handle:  # universal newlines: CRLF -> \n
        text = handle.read()
    if name == "dom_casmurro":
        text = _strip_gutenberg(text)
    return text


def imagenet_class_index() -> dict[int, tuple[str, str]]:
    """The 1000 ImageNet classes: index -> (WordNet id, name), from the Keras cache.

    >>> imagenet_class_index()[285]  # doctest: +SKIP
    ('n02124075', 'Egyptian_cat')
    """
    path = cached_path(CLASS_INDEX_FILE, "models")
    if not path.exists():
        import keras

        url = "https://storage.googleapis.com/download.tensorflow.org/data/" + CLASS_INDEX_FILE
        home = check_keras_home("models")
        try:
            path = Path(keras.utils.get_file(CLASS_INDEX_FILE, url, cache_subdir="models",
                                             cache_dir=str(home),
                                             file_hash="c2c37ea517e94d9795004a39431a14cb"))
        except Exception as error:
            _unavailable(path, "the ImageNet class index is missing and could not be "
                         "downloaded", error)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        index = {int(k): (str(v[0]), str(v[1])) for k, v in raw.items()}
    except Exception as error:
        _unavailable(path, f"the ImageNet class index is corrupt ({error})")
    if sorted(index) != list(range(1000)):
        _unavailable(path, f"the ImageNet class index has {len(index)} classes, expected 1000")
    return index


def _mobilenet_input(
    include_top: bool, input_shape
) -> tuple[tuple[int | None, int | None, int] | None, int]:
    """Check the arguments of :func:`imagenet_mobilenet` as Keras would, before any file is read.

    Returns the input shape to build with (``None``: Keras' default) and the input size of the
    weights file Keras uses (128, 160, 192 or 224), warning as Keras warns when that is 224 for
    another size.
    """
    import keras

    channels_first = keras.backend.image_data_format() == "channels_first"
    layout = "(3, rows, cols)" if channels_first else "(rows, cols, 3)"
    if input_shape is None:
        if include_top:
            return ((3, 224, 224) if channels_first else (224, 224, 3)), 224
        warnings.warn(MOBILENET_224_WARNING, stacklevel=3)
        return None, 224
    try:
        shape = tuple(input_shape)
    except TypeError:
        shape = ()
    if len(shape) != 3:
        raise ValueError(f"input_shape must be {layout}, got input_shape={input_shape!r}")
    channels, rows, cols = (shape[0], *shape[1:]) if channels_first else (shape[2], *shape[:2])
    if channels != 3:
        raise ValueError(
            f"input_shape must have 3 (RGB) channels for the ImageNet weights, {layout}; "
            f"got input_shape={input_shape!r}"
        )
    for dim in (rows, cols):
        if dim is None and not include_top:
            continue
        if dim is None:
            raise ValueError(
                f"include_top=True needs a fixed input_shape, got input_shape={input_shape!r}"
            )
        if not isinstance(dim, Integral) or isinstance(dim, bool):
            raise ValueError(f"input_shape must hold whole numbers, got {input_shape!r}")
        if dim < MOBILENET_MIN_SIZE:
            raise ValueError(
                f"input_shape={input_shape!r} is too small: MobileNet needs images of at "
                f"least {MOBILENET_MIN_SIZE}x{MOBILENET_MIN_SIZE} pixels (resize them first)"
            )
    rows = None if rows is None else int(rows)
    cols = None if cols is None else int(cols)
    standard = rows == cols and rows in MOBILENET_SIZES
    if include_top and not standard:
        raise ValueError(
            "include_top=True (the ImageNet classifier) needs a square input of "
            f"{', '.join(map(str, MOBILENET_SIZES[:-1]))} or {MOBILENET_SIZES[-1]} pixels, got "
            f"input_shape={input_shape!r}; "
            "use include_top=False for a feature extractor of another input size"
        )
    if not standard:
        warnings.warn(MOBILENET_224_WARNING, stacklevel=3)
    built = (3, rows, cols) if channels_first else (rows, cols, 3)
    return built, rows if standard else 224


def imagenet_mobilenet(include_top: bool = True, input_shape: tuple[int, int, int] | None = None):
    """The small ImageNet MobileNet (alpha 0.25, 224x224) with its pretrained weights.

    The same model as ``keras.applications.MobileNet(alpha=0.25, weights="imagenet", ...)``
    (same name, layers, weights and warning), but the weights file is read from this course's
    Keras cache (:func:`cached_path`) whatever folder Keras itself would look in; only when it
    is absent is it downloaded, with ``keras.utils.get_file``, into that cache.
    The 224x224 weights (2 MB) are in the course's offline cache; a user with a network gets
    them (and the 128/160/192 variants Keras picks for those input sizes) downloaded.
    ``include_top=False`` gives the feature extractor (7x7x256 for 224x224); other input sizes
    (not 128/160/192, at least 32x32) reuse the 224 weights, as Keras does, with its warning.
    ``include_top=True`` needs a square 128, 160, 192 or 224 input (Keras' rule).

    Raises ``ValueError`` for arguments Keras would reject (checked before any file is read),
    :class:`KerasHomeError` when a download is needed but the cache folder cannot take it,
    :class:`DataUnavailableError` when the weights file is missing and cannot be downloaded,
    or is there but cannot be loaded (then without download advice).

    >>> model = imagenet_mobilenet()  # doctest: +SKIP
    >>> model.count_params()
    475544
    """
    import keras

    include_top = bool(include_top)
    shape, size = _mobilenet_input(include_top, input_shape)
    filename = f"mobilenet_2_5_{size}_tf{'' if include_top else '_no_top'}.h5"
    path = cached_path(filename, "models")
    # Keras' own model, built without weights (named as Keras names it with the ImageNet ones).
    model = keras.applications.MobileNet(
        input_shape=shape, alpha=0.25, include_top=include_top, weights=None,
        name=f"mobilenet_0.25_{size}",
    )
    if not path.exists():
        home = check_keras_home("models")
        try:
            path = Path(keras.utils.get_file(filename, MOBILENET_URL + filename,
                                             cache_subdir="models", cache_dir=str(home)))
        except Exception as error:
            _unavailable(path, "the ImageNet MobileNet weights are missing and could not be "
                         "downloaded", error)
    try:
        model.load_weights(str(path))
    except Exception as error:
        raise DataUnavailableError(
            f"{path.name}: the weights file is there ({path}, {path.stat().st_size:,} bytes) "
            f"but could not be loaded into MobileNet(alpha=0.25, include_top={include_top}, "
            f"input_shape={shape}): {type(error).__name__}: {error}. The file is damaged or is "
            "not the weights file of this model; replace it with an intact copy."
        ) from error
    return model


# name -> (package, file in that package's sample data, description)
PHOTOS = {
    "cat": ("skimage", "chelsea.png", "Chelsea the cat (scikit-image)"),
    "astronaut": ("skimage", "astronaut.png", "Eileen Collins, astronaut (scikit-image)"),
    "coffee": ("skimage", "coffee.png", "a cup of coffee (scikit-image)"),
    "rocket": ("skimage", "rocket.jpg", "a rocket on its launch pad (scikit-image)"),
    "grace_hopper": ("matplotlib", "grace_hopper.jpg", "Grace Hopper (matplotlib)"),
}


def photo_path(name: str) -> Path:
    """Path of a real photo shipped inside scikit-image or matplotlib (no download).

    >>> photo_path("cat").name
    'chelsea.png'
    """
    if name not in PHOTOS:
        raise ValueError(f"unknown photo {name!r}: choose one of {', '.join(PHOTOS)}")
    package, filename, _ = PHOTOS[name]
    if package == "skimage":
        import skimage

        path = Path(skimage.__file__).parent / "data" / filename
    else:
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "sample_data" / filename
    if not path.exists():
        raise DataUnavailableError(
            f"the photo {name!r} ({filename}) is not where {package} ships it ({path}); "
            f"reinstall {package} with `pip install --force-reinstall {package}`"
        )
    return path


def sample_photos(names: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
    """Real photos as uint8 RGB arrays (H, W, 3), keyed by name (see :data:`PHOTOS`).

    >>> photos = sample_photos(("cat",))
    >>> photos["cat"].shape, photos["cat"].dtype
    ((300, 451, 3), dtype('uint8'))
    """
    from PIL import Image

    photos = {}
    for name in names if names is not None else tuple(PHOTOS):
        with Image.open(photo_path(name)) as image:
            photos[name] = np.asarray(image.convert("RGB"), dtype=np.uint8)
    return photos
