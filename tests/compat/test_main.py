"""`python -m kerasish script.py`: argv, `__name__`, exit codes, tracebacks, keras aliases."""

import sys


def test_argv_name_and_exit_code(run_script):
    result = run_script("""
        import sys, os
        print("NAME", __name__)
        print("ARGV", sys.argv[1:])
        print("ARGV0", os.path.basename(sys.argv[0]))
        print("PATH0", sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
        sys.exit(int(sys.argv[2]))
    """, "--flag", "7")
    assert result.returncode == 7, result.stderr
    assert "NAME __main__" in result.stdout
    assert "ARGV ['--flag', '7']" in result.stdout
    assert "ARGV0 script.py" in result.stdout
    assert "PATH0 True" in result.stdout


def test_uncaught_exception_gives_exit_1_and_script_traceback(run_script):
    result = run_script("""
        def inner():
            raise ValueError("boom from script")
        inner()
    """)
    assert result.returncode == 1
    assert "ValueError: boom from script" in result.stderr
    lines = result.stderr.splitlines()
    # The traceback starts at the script, as with `python script.py` (no runner frames).
    assert lines[0] == "Traceback (most recent call last):"
    assert "script.py" in lines[1]
    assert "runpy" not in result.stderr and "__main__.py" not in result.stderr


def test_missing_script_exit_2(tmp_path):
    import subprocess

    result = subprocess.run([sys.executable, "-m", "kerasish", str(tmp_path / "nope.py")],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "can't open file" in result.stderr


def test_no_arguments_prints_usage(tmp_path):
    import subprocess

    result = subprocess.run([sys.executable, "-m", "kerasish"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "usage: python -m kerasish script.py" in result.stderr


def test_script_imports_sibling_module(run_script, tmp_path):
    (tmp_path / "helper_mod.py").write_text("VALUE = 41\n")
    result = run_script("""
        import helper_mod
        import keras
        print("OK", helper_mod.VALUE + 1, keras.__name__)
    """)
    assert result.returncode == 0, result.stderr
    assert "OK 42 keras" in result.stdout


def test_keras_and_tensorflow_keras_resolve_to_kerasish(run_script):
    result = run_script("""
        import keras
        import kerasish
        from keras.models import Sequential
        from keras.layers import Dense
        from tensorflow import keras as tfk
        import tensorflow as tf
        import tensorflow.keras as tfk2
        from tensorflow.keras.layers import Dense as TFDense
        import tf_keras
        assert Sequential is kerasish.models.Sequential
        assert Dense is TFDense is tf.keras.layers.Dense is tfk.layers.Dense is tfk2.layers.Dense
        assert tf_keras.layers.Dense is Dense
        assert keras.backend.epsilon() == kerasish.backend.epsilon()
        tf.random.set_seed(5)
        import numpy as np
        model = tf.keras.Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])
        model.compile(optimizer="sgd", loss="mse")
        hist = model.fit(np.ones((8, 3)), np.ones((8, 1)), epochs=2, verbose=0)
        print("LOSSES", len(hist.history["loss"]))
    """)
    assert result.returncode == 0, result.stderr
    assert "LOSSES 2" in result.stdout


def test_tensorflow_stub_errors_clearly(run_script):
    result = run_script("""
        import tensorflow as tf
        tf.constant([1.0])
    """)
    assert result.returncode == 1
    assert "`tensorflow.constant` is not available" in result.stderr
    assert "only the Keras part of TensorFlow" in result.stderr


def test_from_tensorflow_import_other_name_errors_clearly(run_script):
    result = run_script("from tensorflow import io\n")
    assert result.returncode == 1
    assert "`tensorflow.io` is not available" in result.stderr


def test_installed_tensorflow_gets_kerasish_keras(run_script, tmp_path):
    # A stand-in TensorFlow package: its own `keras` attribute must be replaced by kerasish's.
    fake = tmp_path / "fake_site" / "tensorflow"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("keras = 'real tf.keras'\nconstant = 'tf.constant'\n")
    result = run_script("""
        import tensorflow as tf
        from tensorflow import keras
        import kerasish
        assert tf.constant == "tf.constant"
        assert keras.layers.Dense is kerasish.layers.Dense
        assert tf.keras.layers.Dense is kerasish.layers.Dense
        print("OK")
    """, env={"PYTHONPATH": str(tmp_path / "fake_site")})
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_run_module_with_dash_m(tmp_path):
    import os
    import subprocess

    (tmp_path / "kmod.py").write_text("import sys, keras\nprint('MOD', __name__, sys.argv[1:], keras.__name__)\n")
    result = subprocess.run([sys.executable, "-m", "kerasish", "-m", "kmod", "x"], capture_output=True,
                            text=True, cwd=str(tmp_path), env=dict(os.environ, OMP_NUM_THREADS="1"))
    assert result.returncode == 0, result.stderr
    assert "MOD __main__ ['x'] keras" in result.stdout
