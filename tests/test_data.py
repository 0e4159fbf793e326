"""Offline data loaders: right arrays from the cache, clear errors when data is missing or bad."""

import shutil
from pathlib import Path

import keras
import numpy as np
import pytest

from utils import data

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    """A Keras cache with nothing in it, and no network: every download fails."""
    (tmp_path / "datasets").mkdir()
    (tmp_path / "models").mkdir()
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))

    def offline(*args, **kwargs):
        raise Exception("URL fetch failure on https://example.invalid: no network")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    monkeypatch.setattr(keras.datasets.cifar10, "load_data", offline)
    monkeypatch.setattr(keras.utils, "get_file", offline)
    monkeypatch.setattr(keras.applications, "MobileNet", offline)
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
    with pytest.raises(data.DataUnavailableError) as caught:
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
    with pytest.raises(data.DataUnavailableError) as caught:
        data.load_mnist()
    assert str(home / "datasets" / "mnist.npz") in str(caught.value)
    assert data.load_text("shakespeare")  # the rest of the cache still works


def test_cached_path_validates_subdir():
    with pytest.raises(ValueError, match="subdir"):
        data.cached_path("x", "weights")
    assert data.cached_path("mnist.npz") == Path(data.keras_home()) / "datasets" / "mnist.npz"
