"""Problems print in the contract's form, and without empty places when nothing names one."""

from flowdesk.problems import Refused, error


def test_a_problem_names_file_key_and_line_and_no_empty_place() -> None:
    assert str(error("flows/np.yaml", "steps[3].options[1].next", "no step 'pay'", 12)) == (
        "flows/np.yaml: steps[3].options[1].next: no step 'pay' (line 12)"
    )
    assert str(error("pack.yaml", "", "not YAML")) == "pack.yaml: not YAML"
    assert str(error("", "--now", "not a time")) == "--now: not a time"
    assert str(Refused("--silent-hours: must be positive")) == "--silent-hours: must be positive"
