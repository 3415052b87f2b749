//! `openseal completions SHELL` and `openseal man [COMMAND]` print what installs beside the
//! binary (README, "Install").

use std::process::{Command, Output};

fn openseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_openseal"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn every_shell_gets_a_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = stdout(&openseal(&["completions", shell]));
        for command in ["inspect", "verify", "completions", "deny-unsafe"] {
            assert!(script.contains(command), "{shell}: no {command}");
        }
    }
}

#[test]
fn bash_loads_the_script_and_completes_openseal() {
    let script = stdout(&openseal(&["completions", "bash"]));
    let o = Command::new("bash")
        .args(["-c", "eval \"$1\" && complete -p openseal", "bash", &script])
        .output()
        .unwrap();
    let registered = String::from_utf8_lossy(&o.stdout);
    assert!(registered.contains("openseal"), "{registered}");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    assert_eq!(openseal(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn man_pages_for_openseal_and_its_commands() {
    let main = stdout(&openseal(&["man"]));
    assert!(main.contains(".TH openseal 1"), "{main}");
    assert!(main.contains("openseal\\-verify(1)"), "{main}");
    let inspect = stdout(&openseal(&["man", "inspect"]));
    assert!(inspect.contains(".TH openseal-inspect 1"), "{inspect}");
    assert!(inspect.contains("\\-\\-deny\\-unsafe"), "{inspect}");
}

#[test]
fn man_for_an_unknown_command_names_the_known_ones() {
    let o = openseal(&["man", "nosuch"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("\"nosuch\"") && err.contains("inspect"),
        "{err}"
    );
}
