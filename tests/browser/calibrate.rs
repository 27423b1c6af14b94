//! Calibration on its own page: benchmark and power-log files chosen,
//! dropped or pasted, fitted by the server, and the planner opened on the fit.

use end_to_end::{Browser, Server, workspace_root};

use crate::support::wait_for_chart_loaded;

/// Chooses the benchmark and power-log fixtures in the page's file boxes.
async fn choose_files(browser: &Browser) {
    let fixtures = workspace_root().join("core/tests/fixtures");
    for (id, file) in [
        ("bench-file", "bench/vllm-serve.json"),
        ("power-file", "power/nvidia-smi-2gpu-units.csv"),
    ] {
        let path = fixtures.join(file);
        browser
            .wait_for_css(&format!("#{id}"))
            .await
            .send_keys(path.to_str().unwrap())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn measurements_chosen_from_disk_fit_the_model_and_open_the_planner_on_it() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser.open_hydrated(&server.url).await;
    let tpot = browser.number_in("tpot").await;
    // The planner's link carries what it shows to the calibration page.
    browser.click("calibrate-link").await;
    browser.wait_for_css("#calibrate-page").await;

    // A window that is not a number of seconds is named.
    choose_files(&browser).await;
    browser.type_into("window-from", "ten").await;
    browser.click("calibrate-button").await;
    browser
        .wait_for_text_containing("calibrate-error", "from: \"ten\"")
        .await;
    // The form comes back as it was sent, but for the files.
    assert_eq!(browser.value_of("window-from").await, "ten");
    choose_files(&browser).await;
    browser.type_into("window-from", "1").await;
    browser.click("calibrate-button").await;
    // The benchmark's 1,500 tokens/s, measured against modeled.
    browser
        .wait_for_text_containing("calibration-table", "1500")
        .await;
    browser
        .wait_for_text_containing("calibration-factors", "Speed")
        .await;
    wait_for_chart_loaded(&browser, "power-trace").await;

    // The fitted stack is slower than the calibrated one: TPOT grows.
    browser.click("apply-calibration").await;
    browser.wait_for_css("main[data-hydrated='true']").await;
    browser
        .wait_for_number("tpot", &format!("more than {tpot} ms"), |t| t > tpot)
        .await;
    browser
        .wait_for_text_containing("calibrated", "fitted to your measurements")
        .await;
    browser.close().await;
}

#[tokio::test]
async fn measurements_dropped_or_pasted_land_in_their_slots_and_fit() {
    let server = Server::start();
    let browser = Browser::start().await;
    browser
        .open_static(&format!("{}/calibrate", server.url))
        .await;
    let fixtures = workspace_root().join("core/tests/fixtures");
    let read = |file: &str| std::fs::read_to_string(fixtures.join(file)).unwrap();

    // Both files in one drop, the power log first: each is told by its content.
    let names = ["gpus.csv", "run.json"];
    let texts = [
        read("power/nvidia-smi-2gpu-units.csv"),
        read("bench/vllm-serve.json"),
    ];
    browser
        .client
        .execute(
            "const dt = new DataTransfer();
             arguments[0].forEach((name, i) => dt.items.add(new File([arguments[1][i]], name)));
             document.getElementById('calibrate-form').dispatchEvent(
                 new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));",
            vec![names.into(), texts.into()],
        )
        .await
        .unwrap();
    browser
        .wait_for_text_containing("measurements-chosen", "Benchmark: run.json")
        .await;
    browser
        .wait_for_text_containing("measurements-chosen", "Power log: gpus.csv")
        .await;

    // A benchmark pasted as text replaces the dropped one.
    browser
        .client
        .execute(
            "const dt = new DataTransfer();
             dt.setData('text/plain', arguments[0]);
             document.getElementById('calibrate-form').dispatchEvent(
                 new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));",
            vec![read("bench/sglang-bench.jsonl").into()],
        )
        .await
        .unwrap();
    browser
        .wait_for_text_containing("measurements-chosen", "Benchmark: pasted text")
        .await;
    browser.click("calibrate-button").await;
    browser
        .wait_for_text_containing("calibration-factors", "prefill")
        .await;
    // The files' own figures: energy per token from the log's mean draw.
    browser
        .wait_for_text_containing("measured-figures", "J per output token")
        .await;
    wait_for_chart_loaded(&browser, "power-trace").await;
    browser.close().await;
}
