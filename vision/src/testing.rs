//! Model files made on the spot for tests, where the real one cannot be had (SFace is not
//! on this machine): a tiny ONNX network with the real model's input and output.

/// An ONNX model shaped like SFace 2021dec: input `data` 1×3×112×112 float, output `fc1`
/// 1×128 float. It averages each input channel over the image (`GlobalAveragePool`) and
/// multiplies the three means by [`sface_shaped_weights`] (3×128), so its output tells
/// exactly what tensor it was fed: channel order and scaling are visible in it.
pub fn sface_shaped_model() -> Vec<u8> {
    let weights: Vec<u8> = sface_shaped_weights()
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let initializer = [
        dims_field(&[3, 128]),
        varint_field(2, 1), // FLOAT
        bytes_field(8, b"w"),
        bytes_field(9, &weights),
    ]
    .concat();
    let graph = [
        bytes_field(1, &node(&["data"], "pooled", "GlobalAveragePool")),
        bytes_field(1, &node(&["pooled"], "flat", "Flatten")),
        bytes_field(1, &node(&["flat", "w"], "fc1", "MatMul")),
        bytes_field(2, b"sface_shaped"),
        bytes_field(5, &initializer),
        bytes_field(11, &value_info("data", &[1, 3, 112, 112])),
        bytes_field(12, &value_info("fc1", &[1, 128])),
    ]
    .concat();
    let opset = [bytes_field(1, b""), varint_field(2, 13)].concat();
    [
        varint_field(1, 7), // IR version
        bytes_field(2, b"facetally-tests"),
        bytes_field(7, &graph),
        bytes_field(8, &opset),
    ]
    .concat()
}

/// The 3×128 weights of [`sface_shaped_model`], row-major (row = input channel).
pub fn sface_shaped_weights() -> Vec<f32> {
    (0..3 * 128)
        .map(|i| ((i * 131 + i / 128 * 17) % 23) as f32 / 23.0 - 0.5)
        .collect()
}

/// What [`sface_shaped_model`] outputs for an input whose channels average `means`.
pub fn sface_shaped_output(means: [f32; 3]) -> Vec<f32> {
    let w = sface_shaped_weights();
    (0..128)
        .map(|j| (0..3).map(|c| means[c] * w[c * 128 + j]).sum())
        .collect()
}

fn node(inputs: &[&str], output: &str, op: &str) -> Vec<u8> {
    let mut out: Vec<u8> = inputs
        .iter()
        .flat_map(|i| bytes_field(1, i.as_bytes()))
        .collect();
    out.extend(bytes_field(2, output.as_bytes()));
    out.extend(bytes_field(4, op.as_bytes()));
    out
}

fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
    let shape: Vec<u8> = dims
        .iter()
        .flat_map(|&d| bytes_field(1, &varint_field(1, d)))
        .collect();
    let tensor = [varint_field(1, 1), bytes_field(2, &shape)].concat();
    let kind = bytes_field(1, &tensor);
    [bytes_field(1, name.as_bytes()), bytes_field(2, &kind)].concat()
}

fn dims_field(dims: &[u64]) -> Vec<u8> {
    dims.iter().flat_map(|&d| varint_field(1, d)).collect()
}

fn varint_field(field: u64, value: u64) -> Vec<u8> {
    [varint(field << 3), varint(value)].concat()
}

fn bytes_field(field: u64, bytes: &[u8]) -> Vec<u8> {
    [
        varint(field << 3 | 2),
        varint(bytes.len() as u64),
        bytes.to_vec(),
    ]
    .concat()
}

fn varint(mut value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return out;
        }
        out.push(byte | 0x80);
    }
}
