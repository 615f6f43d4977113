#!/bin/bash
echo report stub "$@"
