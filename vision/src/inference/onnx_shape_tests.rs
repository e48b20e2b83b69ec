//! Tests of the ONNX input-shape rewrite, on hand-built protobuf and on the
//! real YuNet file.

use super::*;

#[derive(Debug, PartialEq)]
enum Dim {
    Value(u64),
    Param(String),
}

fn varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    put_varint(out, field << 3);
    put_varint(out, v);
}

fn value_info(name: &str, dims: &[u64]) -> Vec<u8> {
    let mut shape = Vec::new();
    for &d in dims {
        let mut dim = Vec::new();
        varint_field(&mut dim, 1, d);
        put_len_field(&mut shape, 1, &dim);
    }
    let mut tensor = Vec::new();
    varint_field(&mut tensor, 1, 1); // elem_type FLOAT
    put_len_field(&mut tensor, 2, &shape);
    let mut ty = Vec::new();
    put_len_field(&mut ty, 1, &tensor);
    let mut vi = Vec::new();
    put_len_field(&mut vi, 1, name.as_bytes());
    put_len_field(&mut vi, 2, &ty);
    vi
}

/// A model whose graph holds a long name (so that its length needs two
/// bytes either side of the rewrite), a 4-D weight listed as an input, the
/// image input and a fixed64 field.
fn model() -> Vec<u8> {
    let mut graph = Vec::new();
    put_len_field(&mut graph, 2, "g".repeat(100).as_bytes());
    put_len_field(&mut graph, 11, &value_info("conv.weight", &[16, 3, 3, 3]));
    put_len_field(&mut graph, 11, &value_info("input", &[1, 3, 120, 160]));
    put_varint(&mut graph, 99 << 3 | 1);
    graph.extend_from_slice(&7u64.to_le_bytes());
    let mut model = Vec::new();
    varint_field(&mut model, 1, 7); // ir_version
    put_len_field(&mut model, 7, &graph);
    model
}

/// The dimensions of every graph input, decoded independently of `rewrite`.
fn input_dims(model: &[u8]) -> Vec<(String, Vec<Dim>)> {
    let fields = |msg: &[u8], want: u64| -> Vec<Vec<u8>> {
        let mut pos = 0;
        let mut found = Vec::new();
        while pos < msg.len() {
            let (n, payload) = next_field(msg, &mut pos).unwrap();
            if let (true, Some(p)) = (n == want, payload) {
                found.push(p.to_vec());
            }
        }
        found
    };
    let graph = &fields(model, 7)[0];
    fields(graph, 11)
        .iter()
        .map(|vi| {
            let name = string_field(vi, 1).unwrap().unwrap();
            let shape = &fields(&fields(&fields(vi, 2)[0], 1)[0], 2)[0];
            let dims = fields(shape, 1)
                .iter()
                .map(|dim| match string_field(dim, 2).unwrap() {
                    Some(p) => Dim::Param(p),
                    None => {
                        let mut pos = 1;
                        Dim::Value(varint(dim, &mut pos).unwrap())
                    }
                })
                .collect();
            (name, dims)
        })
        .collect()
}

#[test]
fn rewrites_only_the_named_input() {
    let original = model();
    let out = make_dims_symbolic(&original, "input", &[(2, "height"), (3, "width")]).unwrap();
    assert!(out.len() > original.len());
    let dims = input_dims(&out);
    assert_eq!(dims[0].0, "conv.weight");
    let weight: Vec<Dim> = [16, 3, 3, 3].into_iter().map(Dim::Value).collect();
    assert_eq!(dims[0].1, weight);
    assert_eq!(
        dims[1],
        (
            "input".to_string(),
            vec![
                Dim::Value(1),
                Dim::Value(3),
                Dim::Param("height".into()),
                Dim::Param("width".into()),
            ]
        )
    );
    // The rest of the graph survives byte for byte.
    assert!(out.ends_with(&7u64.to_le_bytes()));
    assert_eq!(&out[..2], &original[..2]);
}

#[test]
fn missing_input_or_dimension_is_an_error() {
    let m = model();
    let err = make_dims_symbolic(&m, "image", &[(2, "h")]).unwrap_err();
    assert_eq!(err, ShapeError::NotFound("image".into()));
    assert!(make_dims_symbolic(&m, "input", &[(4, "w")]).is_err());
}

#[test]
fn malformed_bytes_are_an_error_not_a_panic() {
    let m = model();
    for cut in [1, 3, m.len() / 2, m.len() - 1] {
        assert_eq!(
            make_dims_symbolic(&m[..cut], "input", &[(2, "h")]),
            Err(ShapeError::Malformed),
            "cut at {cut}"
        );
    }
    assert!(make_dims_symbolic(&[0xff; 12], "input", &[(2, "h")]).is_err());
    assert!(make_dims_symbolic(b"", "input", &[(2, "h")]).is_err());
}

#[test]
fn yunet_2022mar_input_becomes_symbolic() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/models")
        .join(crate::DETECTOR_MODEL_FILE);
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let before = input_dims(&bytes);
    let fixed = before.iter().find(|(n, _)| n == "input").unwrap();
    let fixed_dims: Vec<Dim> = [1, 3, 120, 160].into_iter().map(Dim::Value).collect();
    assert_eq!(fixed.1, fixed_dims);
    let out = make_dims_symbolic(&bytes, "input", &[(2, "height"), (3, "width")]).unwrap();
    let after = input_dims(&out);
    let input = after.iter().find(|(n, _)| n == "input").unwrap();
    assert_eq!(input.1[2], Dim::Param("height".into()));
    assert_eq!(input.1[3], Dim::Param("width".into()));
    assert_eq!(after.len(), before.len());
}
