"""Offline data loaders: right arrays from the cache, clear errors when data is missing or bad."""

import os
import re
import shutil
import urllib.error
import warnings
from pathlib import Path

import keras
import numpy as np
import pytest

from utils import data

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A Keras cache with nothing in it, and no network: every download fails.

    The downloads are faked where ``utils.data`` calls them; the real Keras download path is
    tested by ``test_missing_weights_through_the_real_keras_download``.
    """
    (tmp_path / "datasets").mkdir()
    (tmp_path / "models").mkdir()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on https://example.invalid: no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", offline)
    monkeypatch.setattr(keras.utils, "get_file", offline)
    return tmp_path


@pytest.fixture
def real_cache():
    home = data.keras_home()
    if not (home / "datasets" / "mnist.npz").exists():
        pytest.skip(f"the offline data cache is not at {home}")
    return home


def test_mnist_matches_the_published_data(real_cache):
    (x_train, y_train), (x_test, y_test) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_train.dtype == np.uint8
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    assert list(y_train[:10]) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert list(y_test[:10]) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert x_train.mean() == pytest.approx(33.3184, abs=1e-3)


def test_cifar10_matches_what_keras_returns(real_cache):
    (x_train, y_train), (x_test, y_test) = data.load_cifar10()
    assert x_train.shape == (50000, 32, 32, 3) and y_train.shape == (50000, 1)
    assert x_test.shape == (10000, 32, 32, 3) and x_test.dtype == np.uint8
    assert list(y_train[:10, 0]) == [6, 9, 9, 4, 1, 1, 2, 7, 8, 3]
    assert list(x_train[0, 0, :3, 0]) == [59, 43, 50]  # the published first red pixels
    means = x_train.reshape(-1, 3).mean(axis=0)
    assert np.allclose(means, [125.3069, 122.9504, 113.8654], atol=1e-3)
    assert data.CIFAR10_CLASSES[6] == "frog"


def test_texts(real_cache):
    shakespeare = data.load_text("shakespeare")
    assert len(shakespeare) == 1_115_394 and shakespeare.startswith("First Citizen:")
    casmurro = data.load_text("dom_casmurro")
    assert not casmurro.startswith("\ufeff"), "the byte-order mark must be dropped"
    assert "\r" not in casmurro
    assert "PROJECT GUTENBERG" not in casmurro.upper(), "header and licence must be stripped"
    assert "DOM CASMURRO" in casmurro.upper() and "Capitú" in casmurro


def test_unknown_text_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown text 'hamlet'"):
        data.load_text("hamlet")


def test_imagenet_mobilenet_offline(real_cache):
    index = data.imagenet_class_index()
    assert len(index) == 1000 and index[285] == ("n02124075", "Egyptian_cat")
    model = data.imagenet_mobilenet(include_top=False, input_shape=(96, 96, 3))
    assert model.count_params() == 218_544


def test_photos_are_real_rgb_images():
    photos = data.sample_photos()
    assert set(photos) == set(data.PHOTOS)
    for name, photo in photos.items():
        assert photo.ndim == 3 and photo.shape[2] == 3 and photo.dtype == np.uint8, name
        assert photo.std() > 20, f"{name} should be a real photo, not a flat image"
    with pytest.raises(ValueError, match="unknown photo"):
        data.photo_path("dog")


@pytest.mark.parametrize(
    "load, filename",
    [
        (data.load_mnist, "mnist.npz"),
        (data.load_cifar10, "cifar10.npz"),
        (lambda: data.load_text("shakespeare"), "shakespeare.txt"),
        (lambda: data.load_text("dom_casmurro"), "dom_casmurro_machado_de_assis_pg55752.txt"),
        (data.imagenet_class_index, "imagenet_class_index.json"),
        (data.imagenet_mobilenet, "mobilenet_2_5_224_tf.h5"),
    ],
)
def test_missing_data_gives_a_clear_error(empty_cache, load, filename):
    with pytest.raises(data.DataUnavailableError, match=re.escape(filename)) as caught:
        load()
    message = str(caught.value)
    assert filename in message, "the error names the missing file"
    assert str(empty_cache) in message, "the error says where the file is expected"
    assert "How to get it" in message and "could not be downloaded" in message
    assert "no network" in message, "the download failure is reported, not hidden"


def test_missing_data_falls_back_to_the_keras_download(empty_cache, monkeypatch):
    """A user with a network: the loader asks Keras, then checks what came back."""
    rng = np.random.default_rng(0)

    def fake_download():
        def split(counts):
            labels = np.repeat(np.arange(10, dtype=np.uint8), counts)
            return rng.integers(0, 256, (len(labels), 28, 28), dtype=np.uint8), labels

        return split(data.MNIST_TRAIN_COUNTS), split(data.MNIST_TEST_COUNTS)

    monkeypatch.setattr(keras.datasets.mnist, "load_data", fake_download)
    (x_train, _), (x_test, _) = data.load_mnist()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)


def test_corrupt_npz_gives_a_clear_error(empty_cache):
    (empty_cache / "datasets" / "mnist.npz").write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(data.DataUnavailableError, match=r"mnist.npz.*corrupt or incomplete"):
        data.load_mnist()


def test_wrong_arrays_are_rejected(empty_cache):
    np.savez(empty_cache / "datasets" / "mnist.npz",
             x_train=np.zeros((10, 28, 28), np.uint8), y_train=np.zeros(10, np.uint8),
             x_test=np.zeros((10, 28, 28), np.uint8), y_test=np.zeros(10, np.uint8))
    with pytest.raises(data.DataUnavailableError, match=r"shape \(10, 28, 28\).*\(60000, 28, 28\)"):
        data.load_mnist()


def test_wrong_class_counts_are_rejected(real_cache, empty_cache):
    with np.load(real_cache / "datasets" / "mnist.npz") as arrays:
        x_train, y_train = arrays["x_train"], arrays["y_train"].copy()
        x_test, y_test = arrays["x_test"], arrays["y_test"]
    y_train[:100] = 3
    np.savez(empty_cache / "datasets" / "mnist.npz",
             x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    with pytest.raises(data.DataUnavailableError, match="class counts"):
        data.load_mnist()


def test_text_with_wrong_checksum_is_rejected(empty_cache):
    (empty_cache / "datasets" / "shakespeare.txt").write_text("To be or not to be\n")
    with pytest.raises(data.DataUnavailableError, match="shakespeare.txt.*wrong sha256"):
        data.load_text("shakespeare")


def test_removing_a_dataset_from_a_real_cache(tmp_path, monkeypatch, real_cache):
    """The issue's scenario: take MNIST out of a copy of the offline cache."""
    home = tmp_path / "keras"
    shutil.copytree(real_cache / "datasets", home / "datasets",
                    ignore=shutil.ignore_patterns("cifar10.npz", "mnist.npz"))
    monkeypatch.setenv("KERAS_HOME", str(home))
    monkeypatch.setattr(keras.datasets.mnist, "load_data",
                        lambda: (_ for _ in ()).throw(Exception("URL fetch failure")))
    with pytest.raises(data.DataUnavailableError, match="could not be downloaded") as caught:
        data.load_mnist()
    assert str(home / "datasets" / "mnist.npz") in str(caught.value)
    assert data.load_text("shakespeare")  # the rest of the cache still works


def test_cached_path_is_under_keras_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "my_cache"))
    assert data.keras_home() == tmp_path / "my_cache"
    assert data.cached_path("mnist.npz") == tmp_path / "my_cache" / "datasets" / "mnist.npz"
    assert data.cached_path("a.h5", "models") == tmp_path / "my_cache" / "models" / "a.h5"
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.setenv("KERAS_HOME", "~/kh")
    assert data.cached_path("x.txt") == tmp_path / "me" / "kh" / "datasets" / "x.txt"
    monkeypatch.delenv("KERAS_HOME")
    assert data.cached_path("x.txt") == tmp_path / "me" / ".keras" / "datasets" / "x.txt"
    with pytest.raises(ValueError, match="subdir must be 'datasets' or 'models', got 'weights'"):
        data.cached_path("x", "weights")


def _offline_urlretrieve(calls):
    """Keras' real download function, without a network: records the call, then fails."""

    def urlretrieve(url, filename, reporthook=None):
        calls.append((url, filename))
        Path(filename).write_bytes(b"partial")  # as a broken connection leaves it
        raise urllib.error.URLError("no network")

    return urlretrieve


def test_missing_weights_through_the_real_keras_download(tmp_path, monkeypatch):
    """Nothing faked but the network: the real MobileNet and keras.utils.get_file run."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    calls = []
    monkeypatch.setattr("keras.src.utils.file_utils.urlretrieve", _offline_urlretrieve(calls))
    with pytest.raises(data.DataUnavailableError, match="could not be downloaded") as caught:
        data.imagenet_mobilenet(include_top=False, input_shape=(96, 96, 3))
    message = str(caught.value)
    target = tmp_path / "models" / "mobilenet_2_5_224_tf_no_top.h5"
    assert str(target) in message and "URL fetch failure" in message and "no network" in message
    assert calls == [(data.MOBILENET_URL + target.name, str(target))], "downloads into KERAS_HOME"
    assert not target.exists(), "Keras removes the partial download"


def _layer_weights(model):
    return {layer.name: layer.get_weights() for layer in model.layers if layer.weights}


@pytest.mark.parametrize(
    "include_top, input_shape",
    [(True, None), (False, (96, 96, 3)), (False, None), (False, (100, 130, 3))],
)
def test_imagenet_mobilenet_is_what_keras_builds(real_cache, include_top, input_shape):
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        model = data.imagenet_mobilenet(include_top=include_top, input_shape=input_shape)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        reference = keras.applications.MobileNet(alpha=0.25, weights="imagenet",
                                                 include_top=include_top, input_shape=input_shape)
    assert model.name == reference.name
    assert model.input_shape == reference.input_shape
    assert model.output_shape == reference.output_shape
    ours_weights, reference_weights = _layer_weights(model), _layer_weights(reference)
    assert ours_weights.keys() == reference_weights.keys()
    for name, weights in ours_weights.items():
        assert all(np.array_equal(a, b) for a, b in zip(weights, reference_weights[name],
                                                         strict=True)), name
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    # the 224x224 weights for another input size, with Keras' warning
    assert [str(w.message) for w in ours] == ([] if include_top else [data.MOBILENET_224_WARNING])


@pytest.mark.parametrize(
    "include_top, input_shape, match",
    [
        (False, (96, 96), r"input_shape must be \(rows, cols, 3\), got input_shape=\(96, 96\)"),
        (False, (10, 10, 3), r"input_shape=\(10, 10, 3\) is too small.*at least 32x32"),
        (False, (96, 31, 3), "at least 32x32"),
        (False, (96, 96, 1), r"3 \(RGB\) channels"),
        (False, 96, "input_shape must be"),
        (False, (96.0, 96.0, 3), "whole numbers"),
        (True, (96, 96, 3), r"include_top=True.*128, 160, 192 or 224.*\(96, 96, 3\)"),
        (True, (224, 192, 3), "include_top=True"),
        (True, (None, None, 3), "include_top=True needs a fixed input_shape"),
    ],
)
def test_mobilenet_argument_mistakes_are_value_errors(tmp_path, monkeypatch, include_top,
                                                      input_shape, match):
    """Checked before any file is touched: even an unusable cache gives the argument error."""
    (tmp_path / "not_a_folder").write_text("")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "not_a_folder"))
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: pytest.fail("downloaded"))
    with pytest.raises(ValueError, match=match) as caught:
        data.imagenet_mobilenet(include_top=include_top, input_shape=input_shape)
    assert "missing" not in str(caught.value) and "download" not in str(caught.value)


def test_mobilenet_weights_that_do_not_load_get_no_download_advice(empty_cache):
    weights = empty_cache / "models" / "mobilenet_2_5_224_tf_no_top.h5"
    weights.write_bytes(b"\x89HDF\r\n truncated copy")
    match = r"mobilenet_2_5_224_tf_no_top\.h5: the weights file is there"
    with pytest.raises(data.DataUnavailableError, match=match) as caught:
        data.imagenet_mobilenet(include_top=False, input_shape=(96, 96, 3))
    message = str(caught.value)
    assert str(weights) in message and "could not be loaded" in message
    assert "download" not in message.lower() and "How to get it" not in message
    assert "missing" not in message


def _set_mode(folder: Path, dirs: int, files: int) -> None:
    for path in folder.rglob("*"):
        path.chmod(dirs if path.is_dir() else files)
    folder.chmod(dirs)


@pytest.fixture
def read_only_cache(tmp_path, real_cache):
    """A copy of the cache's models/ and one text, made read-only (0o555 folders, 0o444 files).

    The tests run as root, which may write into such a folder anyway (and os.access says so),
    so ``check_keras_home`` reads the permission bits too; see ``utils.data._writable``.
    """
    home = tmp_path / "read_only_keras"
    shutil.copytree(real_cache / "models", home / "models")
    (home / "datasets").mkdir()
    shutil.copy(real_cache / "datasets" / "shakespeare.txt", home / "datasets")
    _set_mode(home, 0o555, 0o444)
    yield home
    _set_mode(home, 0o755, 0o644)


def test_a_read_only_cache_serves_the_files_it_holds(read_only_cache, real_cache, tmp_path,
                                                     monkeypatch):
    """Keras, unable to write to KERAS_HOME, would cache in /tmp/.keras: its cache is elsewhere.

    That is simulated by pointing Keras' own cache folder at an empty one (no network either).
    The loaders read the read-only cache all the same.
    """
    monkeypatch.setenv("KERAS_HOME", str(read_only_cache))
    monkeypatch.setattr("keras.src.backend.config._KERAS_DIR", str(tmp_path / "tmp_keras"))
    monkeypatch.setattr("keras.src.utils.file_utils.urlretrieve", _offline_urlretrieve([]))
    model = data.imagenet_mobilenet(include_top=False, input_shape=(96, 96, 3))
    reference = keras.applications.MobileNet(alpha=0.25, include_top=False, weights=None,
                                             input_shape=(96, 96, 3))
    reference.load_weights(real_cache / "models" / "mobilenet_2_5_224_tf_no_top.h5")
    assert model.count_params() == 218_544
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), reference.get_weights(),
                                                     strict=True))
    assert data.imagenet_mobilenet().output_shape == (None, 1000)
    assert data.imagenet_class_index()[285] == ("n02124075", "Egyptian_cat")
    assert data.load_text("shakespeare").startswith("First Citizen:")


LOADERS = {
    "mnist": data.load_mnist,
    "cifar10": data.load_cifar10,
    "dom_casmurro": lambda: data.load_text("dom_casmurro"),
    "mobilenet_128": lambda: data.imagenet_mobilenet(input_shape=(128, 128, 3)),
}


@pytest.mark.parametrize("loader", LOADERS)
def test_a_read_only_cache_is_reported_before_any_download(read_only_cache, monkeypatch,
                                                           loader):
    """A file the read-only cache lacks: the error is the folder, not "could not download"."""
    monkeypatch.setenv("KERAS_HOME", str(read_only_cache))
    downloads = []
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: downloads.append(a))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: downloads.append("mnist"))
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: downloads.append("cifar"))
    with pytest.raises(data.KerasHomeError, match="is not writable") as caught:
        LOADERS[loader]()
    message = str(caught.value)
    assert str(read_only_cache) in message and f"chmod -R u+w {read_only_cache}" in message
    assert "export KERAS_HOME=" in message and "/tmp/.keras" in message
    assert not downloads, "nothing is downloaded into a temporary folder"
    assert not isinstance(caught.value, data.DataUnavailableError), "the data is not the problem"


@pytest.mark.parametrize("loader", [*LOADERS, "class_index", "shakespeare"])
def test_keras_home_that_is_a_file_is_reported(tmp_path, monkeypatch, loader):
    (tmp_path / "keras_home").write_text("not a folder")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(keras.utils, "get_file", lambda *a, **k: pytest.fail("downloaded"))
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: pytest.fail("downloaded"))
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", lambda: pytest.fail("downloaded"))
    load = {"class_index": data.imagenet_class_index,
            "shakespeare": lambda: data.load_text("shakespeare"), **LOADERS}[loader]
    with pytest.raises(data.KerasHomeError,
                       match=re.escape(f"KERAS_HOME {tmp_path / 'keras_home'} is a file")):
        load()


def test_writability_is_judged_by_the_permission_bits_even_for_root(tmp_path, monkeypatch):
    """os.access says "writable" for root whatever the bits; the check does not rely on it."""
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: True)  # what root is told
    home = tmp_path / "cache"
    monkeypatch.setenv("KERAS_HOME", str(home))
    assert data.check_keras_home("models") == home, "created when absent"
    assert (home / "models").is_dir()
    (home / "models").chmod(0o555)
    with pytest.raises(data.KerasHomeError,
                       match=re.escape(f"the models folder of KERAS_HOME, {home / 'models'} is "
                                       "not writable")):
        data.check_keras_home("models")
    assert data.check_keras_home("datasets") == home, "only models/ is read-only"
    home.chmod(0o555)
    with pytest.raises(data.KerasHomeError, match=re.escape(f"KERAS_HOME {home} is not writable")):
        data.check_keras_home()
    _set_mode(home, 0o755, 0o644)  # the fix the message gives: chmod -R u+w
    assert data.check_keras_home("models") == home
    with pytest.raises(ValueError, match="subdir must be"):
        data.check_keras_home("weights")


def test_keras_home_that_cannot_be_created_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("")
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "a_file" / "keras"))
    with pytest.raises(data.KerasHomeError, match="does not exist and cannot be created"):
        data.load_text("shakespeare")


def test_fashion_mnist_matches_the_published_data(real_cache):
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert x_train.dtype == y_train.dtype == np.uint8
    assert np.bincount(y_train).tolist() == [6000] * 10
    assert np.bincount(y_test).tolist() == [1000] * 10
    assert round(float(x_train.mean()), 4) == 72.9404  # the manifest's published figure
    assert data.FASHION_MNIST_CLASSES[int(y_train[0])] == "Ankle boot"


def test_fashion_mnist_agrees_with_the_keras_loader(real_cache):
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist()
    (kx_train, ky_train), (kx_test, ky_test) = keras.datasets.fashion_mnist.load_data()
    assert np.array_equal(x_train, kx_train) and np.array_equal(y_train, ky_train)
    assert np.array_equal(x_test, kx_test) and np.array_equal(y_test, ky_test)


def test_fashion_mnist_missing_or_corrupt(real_cache, empty_cache, monkeypatch):
    def offline(*args, **kwargs):
        raise Exception("URL fetch failure: no network")

    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", offline)
    with pytest.raises(data.DataUnavailableError, match="could not be downloaded") as caught:
        data.load_fashion_mnist()
    assert "train-images-idx3-ubyte.gz" in str(caught.value) and "no network" in str(caught.value)
    folder = empty_cache / "datasets" / "fashion-mnist"
    shutil.copytree(real_cache / "datasets" / "fashion-mnist", folder)
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not gzip")
    with pytest.raises(data.DataUnavailableError, match="wrong sha256"):
        data.load_fashion_mnist()


def test_denoising_sets_match_the_manifest(real_cache):
    if not (real_cache / "datasets" / "denoising").is_dir():
        pytest.skip("the denoising images are not in this cache")
    expected = {"Train400": (400, 110.577), "BSD68": (68, 109.851), "Set12": (12, 122.910)}
    for name, (count, mean) in expected.items():
        images = data.load_denoising_images(name)
        assert len(images) == count and all(i.dtype == np.uint8 and i.ndim == 2 for i in images)
        pixels = np.concatenate([i.ravel() for i in images])
        assert round(float(pixels.mean()), 3) == mean, name
    bsd = data.load_denoising_images("BSD68")
    assert sum(i.shape == (321, 481) for i in bsd) == 53  # 53 landscape, 15 portrait


def test_denoising_sets_missing_changed_or_unknown(real_cache, empty_cache):
    with pytest.raises(ValueError, match="unknown denoising set 'BSD100'"):
        data.load_denoising_images("BSD100")
    with pytest.raises(data.DataUnavailableError, match="Set12: the folder is missing") as caught:
        data.load_denoising_images("Set12")
    assert "github.com/cszn/DnCNN" in str(caught.value) and str(empty_cache) in str(caught.value)
    source = real_cache / "datasets" / "denoising" / "Set12"
    if not source.is_dir():
        pytest.skip("the denoising images are not in this cache")
    folder = empty_cache / "datasets" / "denoising" / "Set12"
    shutil.copytree(source, folder)
    (folder / "12.png").unlink()
    with pytest.raises(data.DataUnavailableError, match="found 11 PNG files, expected 12"):
        data.load_denoising_images("Set12")
    shutil.copy(folder / "01.png", folder / "12.png")
    with pytest.raises(data.DataUnavailableError, match="checksum mismatch"):
        data.load_denoising_images("Set12")
